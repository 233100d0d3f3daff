/** Where the tenants' ZeptoClaw image comes from: one shape per source, each complete. */
export type ImagePlan =
    | {
          source: "published";
          repository: string;
          version: string;
          /** Pins the published image beyond its tag. */
          digest?: string;
      }
    | {
          source: "build";
          /** The tag given to the local build. */
          version: string;
          /** A ZeptoClaw checkout, absolute or relative to the project folder. */
          context: string;
          /** Relative to the context. */
          dockerfile: string;
      };
