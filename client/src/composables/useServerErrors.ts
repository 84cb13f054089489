// Puts an API error where the user looks: field errors (JSON pointers such as "/body/email") under
// their form items, everything else in one message above the form.
import { reactive, ref } from "vue";
import { ApiError } from "../api/http";

export function useServerErrors() {
  const fields = reactive<Record<string, string>>({});
  const message = ref("");

  function clear() {
    message.value = "";
    for (const key of Object.keys(fields)) delete fields[key];
  }

  /** Shows the error; returns false for errors that are not API errors (let them propagate). */
  function show(error: unknown, knownFields: readonly string[] = []): boolean {
    clear();
    if (!(error instanceof ApiError)) return false;
    const unplaced: string[] = [];
    for (const field of error.fields) {
      // "/body/email" → "email"; a pointer into a nested value belongs to its top-level field.
      const name = field.field.replace(/^\/(body|query|params)\//, "").split("/")[0] ?? "";
      if (knownFields.includes(name)) fields[name] ||= field.message;
      else unplaced.push(field.message);
    }
    if (error.fields.length === 0 || unplaced.length > 0) {
      message.value = unplaced.length > 0 ? `${error.message}: ${unplaced.join("; ")}` : error.message;
    }
    return true;
  }

  return { fields, message, clear, show };
}
