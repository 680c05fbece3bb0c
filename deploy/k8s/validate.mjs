// Validates Kubernetes manifests (a multi-document YAML on stdin, e.g. `kubectl kustomize deploy/k8s`)
// against the Kubernetes API's JSON schemas, as packaged by kubernetes-models. Exit 1 naming every
// invalid document; every document's kind must be known.
import { parseAllDocuments } from "yaml";

const input = await new Promise((resolve) => {
  let text = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => resolve(text));
});

let failures = 0;
let checked = 0;
for (const document of parseAllDocuments(input)) {
  if (document.errors.length > 0) {
    console.error(`YAML error: ${document.errors.map((e) => e.message).join("; ")}`);
    failures++;
    continue;
  }
  const manifest = document.toJS();
  if (manifest === null) continue;
  const { apiVersion, kind } = manifest;
  const name = `${kind}/${manifest.metadata?.name ?? "?"}`;
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : [null, apiVersion];
  const module = group === null ? `kubernetes-models/${version}/${kind}` : `kubernetes-models/${group}/${version}/${kind}`;
  let Model;
  try {
    Model = (await import(module))[kind];
  } catch {
    console.error(`${name}: unknown kind ${apiVersion} ${kind}`);
    failures++;
    continue;
  }
  try {
    new Model(manifest).validate();
    checked++;
    console.log(`valid: ${apiVersion} ${name}`);
  } catch (error) {
    console.error(`${name}: ${error.message}`);
    failures++;
  }
}
if (checked === 0 && failures === 0) {
  console.error("no manifests on stdin");
  process.exit(1);
}
process.exit(failures > 0 ? 1 : 0);
