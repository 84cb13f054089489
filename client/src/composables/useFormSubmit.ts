// The submit of a form checked twice: its rules run first in the browser, then `save` goes to the
// server while the button spins. A refusal lands under the fields it names (`fields`) or above the
// form; errors that are not API errors propagate.
import { ref } from "vue";
import type { FormInstance } from "element-plus";
import { useServerErrors } from "./useServerErrors";

export function useFormSubmit(fields: readonly string[] = []) {
  const formRef = ref<FormInstance>();
  const submitting = ref(false);
  const errors = useServerErrors();

  async function validateAndSave(save: () => Promise<void>) {
    errors.clear();
    if (!(await formRef.value?.validate().catch(() => false))) return;
    submitting.value = true;
    try {
      await save();
    } catch (error) {
      if (!errors.show(error, fields)) throw error;
    } finally {
      submitting.value = false;
    }
  }

  return { formRef, submitting, errors, validateAndSave };
}
