#pragma once
// Every sentence the CLI prints, in English and Chinese: one table, no gettext. The language
// follows the locale (LC_ALL, then LC_MESSAGES, then LANG, as POSIX orders them).

#include <initializer_list>
#include <string>
#include <string_view>

namespace cardbridge::cli {

enum class Language { en, zh };

/// The first of the three that is set and not empty decides: Chinese when it starts with "zh".
Language language_from(const char* lc_all, const char* lc_messages, const char* lang);
Language language_from_environment();

enum class Msg {
    usage,
    usage_hint,
    retries_left,
    not_running,
    start_hint,
    no_readers,
    state_empty,
    state_present,
    state_mute,
    state_unsupported,
    watching,
    event_reader_added,
    event_reader_removed,
    event_token_inserted,
    event_token_removed,
    label_reader,
    label_token,
    label_enterprise,
    label_uscc,
    label_org_code,
    label_customs_code,
    label_holder,
    label_holder_id,
    label_role,
    role_legal_person,
    role_operator,
    label_card_id,
    label_pin,
    pin_blocked,
    pin_unknown,
    label_certificates,
    label_certificate,
    label_serial,
    label_valid,
    label_subject,
    usage_login,
    usage_sign,
    usage_envelope,
    usage_card_auth,
    pin_prompt,
    pin_prompt_reader,
    pin_verified,
    login_verified,
    label_algorithm,
    label_login_time,
    label_verify_time,
    chain_checked,
    chain_not_checked,
    origins_from_file,
    origins_builtin,
    origins_builtin_layered,
    origins_none,
    right_login,
    right_sign,
    right_send_pin,
    origin_added,
    origin_updated,
    origin_removed,
    origin_missing,
    origins_over_system,
    config_applied,
    config_applies_at_start,
    check_pcscd,
    check_daemon,
    check_config,
    check_websocket,
    check_browser,
    pcscd_readers,
    pcscd_no_reader,
    fix_pcscd,
    daemon_running,
    fix_daemon_log,
    config_file,
    config_file_layered,
    config_missing,
    config_system_only,
    fix_config,
    websocket_ours,
    websocket_other_port,
    fix_websocket_port,
    websocket_taken,
    fix_websocket_taken,
    websocket_not_listening,
    fix_websocket_not_listening,
    browser_found,
    browser_missing,
    browser_bad_path,
    fix_browser,
    fix_label,
    doctor_passed,
    doctor_failed,
    browser_installed,
    browser_restart,
    browser_removed,
    browser_nothing_removed,
    browser_host_unusable,
    browser_cannot_write,
    browser_needs_root,
    count  // not a message: the table's size
};

/// The message in `language`, each "{}" replaced by the next of `args` (missing ones by "").
std::string message(Language language, Msg id, std::initializer_list<std::string_view> args = {});

}  // namespace cardbridge::cli
