/** Docker's name for the tenants' network and for its Linux bridge (at most 15 characters). */
export const tenantNetworkName = "zc-tenants";
