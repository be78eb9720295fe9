// Validates rendered Kubernetes manifests offline, two ways:
//  1. each object against its Kubernetes (or CRD) JSON schema, with kubernetes-models'
//     validate(): wrong types, bad enums, missing required fields, unknown kinds;
//  2. each object written as a typed TypeScript literal (IDeployment, IService, ...) and
//     checked with `tsc --noEmit`: a misspelt optional field ("imagePullPolcy") is an
//     excess property, which the schemas allow but the types do not.
// Usage: node validate_manifests.mjs WORK_DIR FILE.yaml...   (NODE_PATH: the tools)
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(path.join(process.env.NODE_PATH, "x.js"));
const YAML = require("yaml");
const [work, ...files] = process.argv.slice(2);

function modulePath(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (group === "monitoring.coreos.com")
    return `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`;
  if (group === "cert-manager.io")
    return `@kubernetes-models/cert-manager/${group}/${version}/${kind}`;
  return group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
}

let errors = 0, count = 0;
const ts = [];
mkdirSync(work, { recursive: true });
for (const file of files) {
  const docs = YAML.parseAllDocuments(readFileSync(file, "utf8"));
  for (const doc of docs) {
    const obj = doc.toJS();
    if (!obj) continue;
    const where = `${path.basename(file)}: ${obj.kind} ${obj.metadata?.name}`;
    let Model;
    try {
      // The packages are ESM with an "import"-only exports map: import the file itself.
      const file = path.join(process.env.NODE_PATH, modulePath(obj.apiVersion, obj.kind) + ".js");
      Model = (await import(pathToFileURL(file)))[obj.kind];
      if (!Model) throw new Error("no class");
    } catch (e) {
      console.error(`FAIL ${where}: no schema for ${obj.apiVersion} ${obj.kind}`);
      errors++;
      continue;
    }
    try {
      new Model(obj).validate();
    } catch (e) {
      console.error(`FAIL ${where}: ${e.message}`);
      errors++;
      continue;
    }
    count++;
    const name = `o${ts.length}`;
    ts.push(`import type { I${obj.kind} as T${name} } from "${modulePath(obj.apiVersion, obj.kind)}";\n` +
            `// ${where}\nexport const ${name}: T${name} = ${JSON.stringify(obj, null, 1)};\n`);
  }
}
writeFileSync(path.join(work, "objects.ts"), ts.join("\n"));
writeFileSync(path.join(work, "tsconfig.json"), JSON.stringify({
  compilerOptions: { strict: true, noEmit: true, module: "commonjs", moduleResolution: "node",
                     target: "es2020", skipLibCheck: true, baseUrl: process.env.NODE_PATH,
                     typeRoots: [] , paths: { "*": [path.join(process.env.NODE_PATH, "*")] } },
  files: ["objects.ts"] }));
try {
  execFileSync("node", [path.join(process.env.NODE_PATH, "typescript/bin/tsc"), "-p", work],
               { stdio: "pipe" });
} catch (e) {
  console.error(`FAIL typed check (tsc --noEmit):\n${e.stdout}${e.stderr}`);
  errors++;
}
if (errors) process.exit(1);
console.log(`ok: ${count} objects valid against the Kubernetes schemas and types (${files.length} files)`);
