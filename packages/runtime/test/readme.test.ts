// Every ```ts block of README.md runs against the BUILT package and type-checks against its built
// types, with fetch sent to a local server answering with the example API's responses (@tokenkit/testkit).
import { testReadmeExamples } from "@tokenkit/testkit/readme";

const packageDir = new URL("..", import.meta.url);
testReadmeExamples({
  packageDir,
  readme: "README.md",
  spec: "test/fixtures/readme-api.json",
  operationIndex: { "/oauth/token": { post: { operationId: "requestToken", method: "post", path: "/oauth/token", security: [["ClientBasic"]] } } },
  securitySchemes: { ClientBasic: { type: "http", scheme: "basic" } },
});
