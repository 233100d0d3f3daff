import { replacementsAtOnce } from "../../../lib/upgrade/replacementsAtOnce";

test("two tenants replaced at once per host core, at least two", () => {
    expect(replacementsAtOnce(2)).toBe(4);
    expect(replacementsAtOnce(8)).toBe(16);
    expect(replacementsAtOnce(1)).toBe(2);
    expect(replacementsAtOnce(0)).toBe(2);
});
