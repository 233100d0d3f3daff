/** @type {import('jest').Config} */
const transform = { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] };

module.exports = {
    projects: [
        {
            displayName: "unit",
            preset: "ts-jest",
            testEnvironment: "node",
            transform,
            roots: ["<rootDir>/tests"],
            testMatch: [
                "<rootDir>/tests/lib/**/*.test.ts",
                "<rootDir>/tests/components/**/*.test.ts",
                "<rootDir>/tests/program/**/*.test.ts",
                "<rootDir>/tests/cli/**/*.test.ts",
            ],
        },
        {
            displayName: "engine",
            preset: "ts-jest",
            testEnvironment: "node",
            transform,
            roots: ["<rootDir>/tests"],
            testMatch: ["<rootDir>/tests/engine/**/*.test.ts"],
        },
        {
            displayName: "measure",
            preset: "ts-jest",
            testEnvironment: "node",
            transform,
            roots: ["<rootDir>/tests"],
            testMatch: ["<rootDir>/tests/measure/**/*.measure.ts"],
        },
    ],
};
