import { createApp } from "vue";
import { createPinia } from "pinia";
import App from "./App.vue";
import { i18n } from "./i18n";
import { installElementPlus } from "./element";
import { router } from "./router";
import { startRealtime } from "./realtime/socket";
import { useLocaleStore } from "./stores/locale";
import "./styles.css";

const app = createApp(App);
app.use(createPinia());
app.use(i18n);
installElementPlus(app);
app.use(router);

useLocaleStore().apply(i18n.global.locale.value); // sync <html lang> and the title with the choice
startRealtime();
app.mount("#app");
