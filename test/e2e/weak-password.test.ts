// The register form under the server's password policy (issue 13): a trivial password is refused
// and the reason shows under the password field, in the user's language, on a phone and a desktop.
import { expect } from "chai";
import { uniqueEmail } from "../factories/accounts";
import { browserSuite, shot } from "./browser";

describe("weak passwords in the register form", function () {
  this.timeout(60_000);
  const suite = browserSuite("e2e_weak_password");

  for (const [locale, width, says] of [["zh-CN", 390, "连续的字母或数字"], ["en", 1366, "run of letters or digits"]] as const) {
    it(`shows why 12345678 is refused under the password field (${locale}, ${width} px), and accepts a passphrase`, async () => {
      const page = await suite.openPage(locale);
      await page.setViewportSize({ width, height: 820 });
      await page.goto("/register");
      await page.getByTestId("reg-name").fill("王芳");
      await page.getByTestId("reg-email").fill(uniqueEmail("weak"));
      await page.getByTestId("reg-password").fill("12345678");
      await page.getByTestId("reg-confirm").fill("12345678");
      await page.getByTestId("reg-submit").click();
      const message = page.locator(".el-form-item.is-error .el-form-item__error");
      await message.waitFor();
      expect(await message.innerText()).to.include(says);
      await shot(page, `register-weak-password-${locale}-${width}`);
      const scrollWidth = (await page.evaluate("document.documentElement.scrollWidth")) as number;
      expect(scrollWidth, "no sideways scrolling").to.be.at.most(width);

      await page.getByTestId("reg-password").fill("correct horse battery");
      await page.getByTestId("reg-confirm").fill("correct horse battery");
      await page.getByTestId("reg-submit").click();
      await page.getByTestId("choose-enterprise").waitFor();
    });
  }
});
