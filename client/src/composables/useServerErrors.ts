// Puts an API error where the user looks: field errors (JSON pointers such as "/body/email") under
// their form items, everything else in one message above the form. `paths` keeps every message by
// its full pointer ("items/2/minutes") for forms that place errors deeper than a top-level field.
import { reactive, ref } from "vue";
import { ApiError } from "../api/http";

export function useServerErrors() {
  const fields = reactive<Record<string, string>>({});
  const paths = reactive<Record<string, string>>({});
  const message = ref("");

  function clear() {
    message.value = "";
    for (const key of Object.keys(fields)) delete fields[key];
    for (const key of Object.keys(paths)) delete paths[key];
  }

  /** Shows the error; returns false for errors that are not API errors (let them propagate). */
  function show(error: unknown, knownFields: readonly string[] = []): boolean {
    clear();
    if (!(error instanceof ApiError)) return false;
    const unplaced: string[] = [];
    for (const field of error.fields) {
      // "/body/email" → "email"; a pointer into a nested value belongs to its top-level field.
      const path = field.field.replace(/^\/(body|query|params)\//, "");
      paths[path] ||= field.message;
      const name = path.split("/")[0] ?? "";
      if (knownFields.includes(name)) fields[name] ||= field.message;
      else unplaced.push(field.message);
    }
    if (error.fields.length === 0 || unplaced.length > 0) {
      message.value = unplaced.length > 0 ? `${error.message}: ${unplaced.join("; ")}` : error.message;
    }
    return true;
  }

  return { fields, paths, message, clear, show };
}
