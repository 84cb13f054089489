// The one request a dialog sends (a decision, a save): its button spins while it runs, and a refusal
// from the API shows as the dialog's error message; errors that are not API errors propagate.
import { ref } from "vue";
import { ApiError } from "../api/http";

export function useDialogAction() {
  const running = ref(false);
  const error = ref("");

  async function run(action: () => Promise<void>): Promise<void> {
    running.value = true;
    error.value = "";
    try {
      await action();
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      error.value = e.message;
    } finally {
      running.value = false;
    }
  }

  return { running, error, run };
}
