// A destructive action behind a confirmation box: nothing happens if the user backs out; the
// server's refusal is shown as a message, success as another.
import { ElMessage, ElMessageBox } from "element-plus";
import "element-plus/es/components/message-box/style/css"; // used only here: not in element.ts
import { ApiError } from "./api/http";

export interface ConfirmText {
  title: string;
  message: string;
  confirm: string;
  cancel: string;
  done: string;
  danger?: boolean;
}

/** False when the user backed out; true once the action ran (a refusal too: the list may have changed). */
export async function confirmAction(text: ConfirmText, action: () => Promise<unknown>): Promise<boolean> {
  try {
    await ElMessageBox.confirm(text.message, text.title, {
      type: "warning",
      confirmButtonText: text.confirm,
      cancelButtonText: text.cancel,
      ...(text.danger ? { confirmButtonClass: "el-button--danger" } : {}),
    });
  } catch {
    return false; // backed out
  }
  try {
    await action();
    ElMessage.success(text.done);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    ElMessage.error(e.message);
  }
  return true;
}
