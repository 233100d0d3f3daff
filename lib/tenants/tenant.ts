import { TenantResources, ZeptoClawSettings } from "./tenantSchema";

/** A validated tenant of the current stack, ready to be declared. */
export interface Tenant {
    /** DNS-label name; container `zc-<name>`, volume `<name>-data`. */
    name: string;
    /** The tenant file, relative to the project, for error messages. */
    file: string;
    /** The uid (and gid) its processes and files run as; unique in the fleet. */
    uid: number;
    zeptoclaw: ZeptoClawSettings;
    resources: TenantResources;
    /** Operator labels, added to the container next to the com.zeptoclaw.* ones. */
    labels: Record<string, string>;
    /** The data volume's name, when it is not `<name>-data` (an adopted volume). */
    volume?: string;
    /** Its upgrade ring (`main` unless its file says otherwise). */
    ring: string;
}
