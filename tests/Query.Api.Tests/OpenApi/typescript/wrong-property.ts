// Must NOT compile (TypeScriptClientTests): the list's items have no property "workflowID" (it is
// "workflowId"), so the generated types are strict enough to catch a misspelt field.
import type { paths } from "./api";

type ListAnswer = paths["/workflows"]["get"]["responses"][200]["content"]["application/json"];

export function firstId(list: ListAnswer): string | undefined {
  return list[0]?.workflowID;
}
