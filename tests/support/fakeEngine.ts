import * as http from "node:http";
import * as path from "node:path";
import { tempDir } from "./tempDir";

/** An engine's API on a unix socket: GET /version answers `ApiVersion`, or nothing when undefined. */
export async function fakeEngine(
    apiVersion: string | undefined,
): Promise<{ dockerHost: string; close: () => void }> {
    const socket = path.join(tempDir("zc-engine-"), "docker.sock");
    const server = http.createServer((request, response) => {
        if (apiVersion === undefined) {
            return; // never answers
        }
        response.setHeader("content-type", "application/json");
        response.end(JSON.stringify(request.url === "/version" ? { ApiVersion: apiVersion } : {}));
    });
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    return {
        dockerHost: `unix://${socket}`,
        close: () => {
            server.closeAllConnections();
            server.close();
        },
    };
}
