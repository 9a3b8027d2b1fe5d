// 企业用户注册: the choice between 有卡用户 and 无卡用户.
import { initLayout } from "../layout.js";

await initLayout({ page: "register", requireLogin: false });
