/** @type {import('jest').Config} */
module.exports = {
    preset: "ts-jest",
    testEnvironment: "node",
    roots: ["<rootDir>/tests"],
    testMatch: ["**/*.test.ts"],
    // The program registers thousands of resources in the scale test; ts-jest's type check runs in `npm run typecheck`.
    transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
};
