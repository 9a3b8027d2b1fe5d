#include "messages.hpp"

#include <array>
#include <cstdlib>

namespace cardbridge::cli {
namespace {

struct Entry {
    Msg id;
    std::string_view en;
    std::string_view zh;
};

constexpr std::string_view kUsageEn =
    R"(usage: cardbridge [--json] [--socket PATH] [--config FILE] COMMAND [OPTIONS]

Commands (all but origins, doctor and the browser integration need cardbridged running):
  readers                    the readers and the cards in them
  watch                      print reader and card events as they happen (Ctrl-C stops)
  info [--reader R]          the card: enterprise, holder, certificates, PIN retries
  verify-pin [--reader R]    check the card's PIN (typed with echo off, or one line of stdin)
  login-test --origin O [--reader R] [--ca FILE]
                             have the card sign a fresh login challenge for page origin O and
                             verify the token here (its chain against the CAs in FILE)
  origins list               which web origins may use the daemon, and for what
  origins add PATTERN [--login] [--sign] [--send-pin]
                             allow PATTERN (an origin, or https://*.example.cn) with these
                             rights (none given: --login); a new rule goes first
  origins remove PATTERN     take PATTERN off the list
  doctor                     check pcscd, cardbridged, the config, the WebSocket port and the
                             browser integration, and say what to fix
  install-browser-integration [--user|--system] [--host PATH] [--profile DIR]
                             let the cardbridge extension in Chromium, Chrome, Edge, Brave
                             and Firefox reach cardbridged: write cn.cardbridge.host.json
                             for each (--user, the default: in your home; --system: for
                             everyone, as root; --profile: only into that Chromium
                             --user-data-dir), naming cardbridge-host (default: the one
                             next to this program)
  uninstall-browser-integration [--user|--system] [--profile DIR]
                             remove those files again

Options:
  --json          machine-readable JSON on stdout instead of text (errors too)
  --socket PATH   the daemon's socket (default: the config's "socket", else
                  $XDG_RUNTIME_DIR/cardbridge/daemon.sock or /tmp/cardbridge-UID/daemon.sock)
  --config FILE   the config file (default: ~/.config/cardbridge/config.json)
  --version       print the version

Exit status:
  0  success
  1  doctor found a problem
  2  bad command line
  3  cardbridged is not running (DAEMON_UNAVAILABLE)
  4  refused: ORIGIN_NOT_ALLOWED, NOT_PERMITTED, NOT_SUPPORTED
  5  reader or card: PCSC_UNAVAILABLE, NO_READER, NO_CARD, TOKEN_AMBIGUOUS (use --reader),
     CARD_REMOVED, CARD_ERROR, ...
  6  PIN: PIN_INCORRECT, PIN_BLOCKED, PIN_CANCELLED, PIN_FORMAT
  7  the login token did not verify: TOKEN_MALFORMED ... SIGNATURE_INVALID
  8  TIMEOUT, BUSY
  9  anything else: a malformed request or config, a lost connection, INTERNAL
)";

constexpr std::string_view kUsageZh =
    R"(用法：cardbridge [--json] [--socket 路径] [--config 文件] 命令 [选项]

命令（除 origins、doctor 和浏览器集成外都需要 cardbridged 正在运行）：
  readers                    读卡器及其中的卡片
  watch                      实时显示读卡器和卡片事件（按 Ctrl-C 结束）
  info [--reader R]          卡片信息：企业、持卡人、证书、PIN 码剩余次数
  verify-pin [--reader R]    验证卡片 PIN 码（输入时不回显，或从标准输入读取一行）
  login-test --origin O [--reader R] [--ca 文件]
                             让卡片为网页来源 O 签署新的登录挑战，并在本机验证令牌
                             （用文件中的 CA 证书验证证书链）
  origins list               哪些网页来源可以使用本服务，以及权限
  origins add 模式 [--login] [--sign] [--send-pin]
                             允许该模式（来源，或 https://*.example.cn）并授予这些权限
                             （未指定时为 --login）；新规则排在最前
  origins remove 模式        从列表中删除该模式
  doctor                     检查 pcscd、cardbridged、配置、WebSocket 端口和浏览器集成，
                             并给出修复方法
  install-browser-integration [--user|--system] [--host 路径] [--profile 目录]
                             让 Chromium、Chrome、Edge、Brave 和 Firefox 中的 cardbridge
                             扩展能连接 cardbridged：为每个浏览器写入 cn.cardbridge.host.json
                             （--user 为默认值：写入主目录；--system：为所有用户，需要 root；
                             --profile：只写入该 Chromium --user-data-dir），指向
                             cardbridge-host（默认：本程序旁边的那个）
  uninstall-browser-integration [--user|--system] [--profile 目录]
                             删除这些文件

选项：
  --json          在标准输出打印 JSON 而不是文字（错误也是）
  --socket 路径   服务的套接字（默认：配置中的 "socket"，否则为
                  $XDG_RUNTIME_DIR/cardbridge/daemon.sock 或 /tmp/cardbridge-UID/daemon.sock）
  --config 文件   配置文件（默认：~/.config/cardbridge/config.json）
  --version       显示版本

退出状态：
  0  成功
  1  doctor 发现问题
  2  命令行有误
  3  cardbridged 未运行（DAEMON_UNAVAILABLE）
  4  被拒绝：ORIGIN_NOT_ALLOWED、NOT_PERMITTED、NOT_SUPPORTED
  5  读卡器或卡片：PCSC_UNAVAILABLE、NO_READER、NO_CARD、TOKEN_AMBIGUOUS（请用 --reader 指定）、
     CARD_REMOVED、CARD_ERROR 等
  6  PIN 码：PIN_INCORRECT、PIN_BLOCKED、PIN_CANCELLED、PIN_FORMAT
  7  登录令牌未通过验证：TOKEN_MALFORMED … SIGNATURE_INVALID
  8  TIMEOUT、BUSY
  9  其他：请求或配置有误、连接中断、INTERNAL
)";

// Order follows the enum (checked below).
constexpr std::array kTable{
    Entry{Msg::usage, kUsageEn, kUsageZh},
    Entry{Msg::usage_hint, "Run 'cardbridge --help' for usage.",
          "运行 'cardbridge --help' 查看用法。"},
    Entry{Msg::retries_left, "{} tries left", "还可尝试 {} 次"},
    Entry{Msg::not_running, "cardbridged is not running: nothing listens on {}",
          "cardbridged 未运行：{} 上没有服务在监听"},
    Entry{Msg::start_hint, "start it: cardbridged (or systemctl --user start cardbridged)",
          "启动方法：cardbridged（或 systemctl --user start cardbridged）"},
    Entry{Msg::no_readers, "No reader is connected.", "没有连接读卡器。"},
    Entry{Msg::state_empty, "no card", "无卡"},
    Entry{Msg::state_present, "card present", "有卡"},
    Entry{Msg::state_mute, "the card does not answer", "卡片无响应"},
    Entry{Msg::state_unsupported, "a card cardbridge cannot use", "不支持的卡片"},
    Entry{Msg::watching, "Watching readers and cards; Ctrl-C stops.",
          "正在监视读卡器和卡片；按 Ctrl-C 结束。"},
    Entry{Msg::event_reader_added, "reader connected: {}", "读卡器已连接：{}"},
    Entry{Msg::event_reader_removed, "reader disconnected: {}", "读卡器已断开：{}"},
    Entry{Msg::event_token_inserted, "card inserted: {} (ATR {})", "卡片已插入：{}（ATR {}）"},
    Entry{Msg::event_token_removed, "card removed: {}", "卡片已拔出：{}"},
    Entry{Msg::label_reader, "Reader", "读卡器"},
    Entry{Msg::label_token, "Token", "介质"},
    Entry{Msg::label_enterprise, "Enterprise", "企业名称"},
    Entry{Msg::label_uscc, "Social credit code", "统一社会信用代码"},
    Entry{Msg::label_org_code, "Organization code", "组织机构代码"},
    Entry{Msg::label_customs_code, "Customs code", "海关编码"},
    Entry{Msg::label_holder, "Holder", "持卡人"},
    Entry{Msg::label_holder_id, "Holder ID", "持卡人证件号"},
    Entry{Msg::label_role, "Card kind", "卡类型"},
    Entry{Msg::role_legal_person, "legal person card", "法人卡"},
    Entry{Msg::role_operator, "operator card", "操作员卡"},
    Entry{Msg::label_card_id, "Card ID", "卡号"},
    Entry{Msg::label_pin, "PIN", "PIN 码"},
    Entry{Msg::pin_blocked, "blocked", "已锁定"},
    Entry{Msg::pin_unknown, "tries left unknown until the next verification",
          "剩余次数在下次验证后才能得知"},
    Entry{Msg::label_certificates, "Certificates", "证书"},
    Entry{Msg::label_certificate, "Certificate", "证书"},
    Entry{Msg::label_serial, "serial", "序列号"},
    Entry{Msg::label_valid, "valid", "有效期"},
    Entry{Msg::label_subject, "subject", "主题"},
    Entry{Msg::usage_login, "login", "登录"},
    Entry{Msg::usage_sign, "signing", "签名"},
    Entry{Msg::usage_envelope, "encryption", "加密"},
    Entry{Msg::usage_card_auth, "card authentication", "卡认证"},
    Entry{Msg::pin_prompt, "PIN: ", "PIN 码："},
    Entry{Msg::pin_prompt_reader, "PIN for {}: ", "{} 的 PIN 码："},
    Entry{Msg::pin_verified, "PIN verified.", "PIN 码验证通过。"},
    Entry{Msg::login_verified, "The login token for {} verifies.", "{} 的登录令牌验证通过。"},
    Entry{Msg::label_algorithm, "Algorithm", "算法"},
    Entry{Msg::label_login_time, "auth.login took", "auth.login 用时"},
    Entry{Msg::label_verify_time, "Verification took", "验证用时"},
    Entry{Msg::chain_checked, "Certificate chain checked against {}.", "证书链已按 {} 验证。"},
    Entry{Msg::chain_not_checked,
          "Certificate chain NOT checked (no --ca): only the signature, against the token's own "
          "certificate.",
          "未检查证书链（未指定 --ca）：只用令牌自带的证书验证了签名。"},
    Entry{Msg::origins_from_file, "Origin rules from {}:", "来源规则（{}）："},
    Entry{Msg::origins_builtin,
          "Built-in origin rules ({} sets none):", "内置来源规则（{} 中未设置）："},
    Entry{Msg::origins_builtin_layered, "Built-in origin rules (neither {} nor {} sets any):",
          "内置来源规则（{} 和 {} 中均未设置）："},
    Entry{Msg::origins_none, "No web page may use the daemon (local tools still can).",
          "任何网页都不能使用本服务（本机工具仍可使用）。"},
    Entry{Msg::right_login, "login", "登录"},
    Entry{Msg::right_sign, "sign", "签名"},
    Entry{Msg::right_send_pin, "send PIN", "传送 PIN 码"},
    Entry{Msg::origin_added, "Added {}.", "已添加 {}。"},
    Entry{Msg::origin_updated, "Updated {}.", "已更新 {}。"},
    Entry{Msg::origin_removed, "Removed {}.", "已删除 {}。"},
    Entry{Msg::origin_missing, "{} is not in the list", "{} 不在列表中"},
    Entry{Msg::origins_over_system,
          "{} now holds the whole list, which replaces the one in {}.",
          "{} 现在保存完整的列表，取代 {} 中的列表。"},
    Entry{Msg::config_applied, "cardbridged applied the change.", "cardbridged 已应用此更改。"},
    Entry{Msg::config_applies_at_start,
          "cardbridged is not running; the change applies when it starts.",
          "cardbridged 未运行；更改将在它启动时生效。"},
    Entry{Msg::check_pcscd, "PC/SC (pcscd)", "PC/SC（pcscd）"},
    Entry{Msg::check_daemon, "cardbridged", "cardbridged"},
    Entry{Msg::check_config, "config", "配置"},
    Entry{Msg::check_websocket, "WebSocket port {}", "WebSocket 端口 {}"},
    Entry{Msg::check_browser, "browser integration", "浏览器集成"},
    Entry{Msg::pcscd_readers, "{} reader(s): {}", "{} 个读卡器：{}"},
    Entry{Msg::pcscd_no_reader, "running, but no reader is connected", "运行中，但没有连接读卡器"},
    Entry{Msg::fix_pcscd, "sudo apt install pcscd && sudo systemctl start pcscd.socket",
          "sudo apt install pcscd && sudo systemctl start pcscd.socket"},
    Entry{Msg::daemon_running, "version {} on {}", "版本 {}，套接字 {}"},
    Entry{Msg::fix_daemon_log, "see cardbridged's log: journalctl --user -u cardbridged",
          "查看 cardbridged 的日志：journalctl --user -u cardbridged"},
    Entry{Msg::config_file, "{} is valid", "{} 有效"},
    Entry{Msg::config_file_layered, "{} over {} is valid", "{}（覆盖 {}）有效"},
    Entry{Msg::config_missing, "{} does not exist: defaults apply", "{} 不存在：使用默认设置"},
    Entry{Msg::config_system_only, "{} does not exist: {} applies", "{} 不存在：使用 {}"},
    Entry{Msg::fix_config, "correct the file (docs/CONFIG.md), then: cardbridge origins list",
          "按 docs/CONFIG.md 修正该文件，然后运行：cardbridge origins list"},
    Entry{Msg::websocket_ours, "cardbridged listens on port {}", "cardbridged 正在监听端口 {}"},
    Entry{Msg::websocket_other_port, "the config sets port {}; portal pages connect to {}",
          "配置设定的端口为 {}；门户网页连接的是 {}"},
    Entry{Msg::fix_websocket_port, "remove \"port\" from the config and restart cardbridged",
          "从配置中删除 \"port\" 并重启 cardbridged"},
    Entry{Msg::websocket_taken, "another program listens on port {}", "另一个程序占用了端口 {}"},
    Entry{Msg::fix_websocket_taken, "ss -ltnp 'sport = :{}' shows which; stop it",
          "用 ss -ltnp 'sport = :{}' 查看是哪个程序，并停止它"},
    Entry{Msg::websocket_not_listening, "nothing listens on port {}", "端口 {} 上没有服务在监听"},
    Entry{Msg::fix_websocket_not_listening,
          "restart cardbridged without --port (or start it: cardbridged)",
          "不带 --port 重启 cardbridged（或启动它：cardbridged）"},
    Entry{Msg::browser_found, "{}", "{}"},
    Entry{Msg::browser_missing, "no cn.cardbridge.host.json manifest found",
          "未找到 cn.cardbridge.host.json 清单文件"},
    Entry{Msg::browser_bad_path, "{} names {}, which is not an executable program",
          "{} 指向的 {} 不是可执行程序"},
    Entry{Msg::fix_browser,
          "run cardbridge install-browser-integration: it writes cn.cardbridge.host.json into "
          "~/.config/<browser>/NativeMessagingHosts/ and ~/.mozilla/native-messaging-hosts/, its "
          "\"path\" naming cardbridge-host",
          "运行 cardbridge install-browser-integration：它会把 cn.cardbridge.host.json 写入 "
          "~/.config/<浏览器>/NativeMessagingHosts/ 和 ~/.mozilla/native-messaging-hosts/，其 "
          "\"path\" 指向 cardbridge-host"},
    Entry{Msg::fix_label, "fix: ", "修复："},
    Entry{Msg::doctor_passed, "All checks passed.", "全部检查通过。"},
    Entry{Msg::doctor_failed, "{} check(s) failed.", "{} 项检查未通过。"},
    Entry{Msg::browser_installed, "{}: wrote {}", "{}：已写入 {}"},
    Entry{Msg::browser_restart,
          "They start {}. A browser already running sees them when it next starts the extension.",
          "它们启动 {}。正在运行的浏览器会在下次启动扩展时读取它们。"},
    Entry{Msg::browser_removed, "{}: removed {}", "{}：已删除 {}"},
    Entry{Msg::browser_nothing_removed, "No cn.cardbridge.host.json was installed there.",
          "那里没有安装 cn.cardbridge.host.json。"},
    Entry{Msg::browser_host_unusable,
          "{} is not an executable program; name cardbridge-host with --host PATH",
          "{} 不是可执行程序；请用 --host 路径 指定 cardbridge-host"},
    Entry{Msg::browser_cannot_write, "cannot change {}: {}", "无法更改 {}：{}"},
    Entry{Msg::browser_needs_root,
          "cannot change {}: permission denied; --system needs root (sudo)",
          "无法更改 {}：权限不足；--system 需要 root 权限（sudo）"},
};

constexpr bool table_follows_enum() {
    for (std::size_t i = 0; i < kTable.size(); ++i)
        if (static_cast<std::size_t>(kTable[i].id) != i) return false;
    return kTable.size() == static_cast<std::size_t>(Msg::count);
}
static_assert(table_follows_enum(), "kTable must list every Msg in enum order");

}  // namespace

Language language_from(const char* lc_all, const char* lc_messages, const char* lang) {
    for (const char* value : {lc_all, lc_messages, lang})
        if (value != nullptr && *value != '\0')
            return std::string_view(value).starts_with("zh") ? Language::zh : Language::en;
    return Language::en;
}

Language language_from_environment() {
    return language_from(std::getenv("LC_ALL"), std::getenv("LC_MESSAGES"), std::getenv("LANG"));
}

std::string message(Language language, Msg id, std::initializer_list<std::string_view> args) {
    const auto& entry = kTable.at(static_cast<std::size_t>(id));
    std::string_view pattern = language == Language::zh ? entry.zh : entry.en;
    std::string out;
    auto arg = args.begin();
    for (std::size_t at = 0; at < pattern.size();) {
        auto hole = pattern.find("{}", at);
        out.append(pattern.substr(at, hole - at));
        if (hole == std::string_view::npos) break;
        if (arg != args.end()) out.append(*arg++);
        at = hole + 2;
    }
    return out;
}

}  // namespace cardbridge::cli
