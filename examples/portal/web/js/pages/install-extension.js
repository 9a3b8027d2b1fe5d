// 安装说明: says whether the extension serves this page right now, and names this origin in
// the command that allows it.
import { detect } from "/lib/cardbridge.js";
import { initLayout } from "../layout.js";

await initLayout({ page: "install-extension", requireLogin: false });
document.getElementById("origin-command").textContent =
  `cardbridge origins add ${location.origin} --login --sign --send-pin`;
const state = document.getElementById("extension-state");
state.textContent = (await detect())
  ? "已检测到 cardbridge 浏览器扩展：本页面可以使用 IC 卡。若仍无法读卡，请运行 cardbridge doctor。"
  : "未检测到 cardbridge 浏览器扩展：请按以下步骤安装，然后刷新页面。";
