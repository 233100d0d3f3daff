import { PolicyPack } from "@pulumi/policy";
import { guardrails } from "../lib/policy/guardrails";

// The rules are pure functions in lib/policy, unit-tested there; this only registers them.
new PolicyPack("zeptoclaw-fleet-guardrails", {
    policies: guardrails.map((rule) => ({
        name: rule.name,
        description: rule.description,
        enforcementLevel: "mandatory",
        validateResource: (args, reportViolation) => {
            for (const violation of rule.check({ type: args.type, props: args.props })) {
                reportViolation(`${args.name} ${violation}`);
            }
        },
    })),
});
