// Compiles X402Workflow.sol with solc-js (offline) into X402Workflow.json.
//   node deploy/contracts/compile.mjs           writes the artifact
//   node deploy/contracts/compile.mjs --check   exits 1 if the committed artifact is stale
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import solc from "solc";

const contractName = "X402Workflow";
const sourceFile = `${contractName}.sol`;
const contractsDir = dirname(fileURLToPath(import.meta.url));
const artifactPath = join(contractsDir, `${contractName}.json`);

// Fixed so that the artifact is reproducible; cancun runs on anvil's default (latest) hardfork.
const settings = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: "cancun",
};

function compile() {
  const input = {
    language: "Solidity",
    sources: { [sourceFile]: { content: readFileSync(join(contractsDir, sourceFile), "utf8") } },
    settings: {
      ...settings,
      outputSelection: { [sourceFile]: { [contractName]: ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input)));
  const problems = output.errors ?? [];
  for (const problem of problems) {
    console.error(problem.formattedMessage);
  }
  if (problems.some((problem) => problem.severity === "error")) {
    process.exit(1);
  }

  const contract = output.contracts[sourceFile][contractName];
  const artifact = {
    contractName,
    compiler: { version: solc.version(), settings },
    abi: contract.abi,
    bytecode: `0x${contract.evm.bytecode.object}`,
    deployedBytecode: `0x${contract.evm.deployedBytecode.object}`,
  };
  return `${JSON.stringify(artifact, null, 2)}\n`;
}

const fresh = compile();
if (process.argv.includes("--check")) {
  const committed = existsSync(artifactPath) ? readFileSync(artifactPath, "utf8") : "";
  if (committed !== fresh) {
    console.error(
      `${artifactPath} is stale: it does not match ${sourceFile}. Run 'node deploy/contracts/compile.mjs' and commit the result.`,
    );
    process.exit(1);
  }
  console.log(`${contractName}.json is up to date.`);
} else {
  writeFileSync(artifactPath, fresh);
  console.log(`Wrote ${artifactPath}`);
}
