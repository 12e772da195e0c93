// Every ```ts block of README.md runs against the BUILT package and type-checks against its built
// types, with fetch sent to a local server answering with the spec's examples (@tokenkit/testkit).
import { testReadmeExamples } from "@tokenkit/testkit/readme";
import { operationIndex, securitySchemes } from "../src/generated/metadata.js";

const packageDir = new URL("..", import.meta.url);
testReadmeExamples({ packageDir, readme: "README.md", spec: "src/generated/openapi.json", operationIndex, securitySchemes });
