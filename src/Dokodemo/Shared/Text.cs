using System.Globalization;

namespace Dokodemo.Shared;

/// <summary>
/// Every sentence the UI and the API show, in Japanese first and English second. Keys are stable;
/// error codes are looked up as "error." + code. A test checks every key has both languages.
/// </summary>
public static partial class Text
{
    public static bool IsEnglish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    public static string T(string key) => Get(key, IsEnglish);

    public static string Get(string key, bool english) =>
        Merged.TryGetValue(key, out var pair) ? (english ? pair.En : pair.Ja) : key;

    public static string Error(string code) => T("error." + code);

    public static IReadOnlyDictionary<string, (string Ja, string En)> All => Merged;

    // Capabilities keep their sentences in their own partial file (Text.Access.cs …); one dictionary serves them all.
    private static Dictionary<string, (string Ja, string En)> Merged => merged ??= MergeCatalogs();
    private static Dictionary<string, (string Ja, string En)>? merged;

    private static Dictionary<string, (string Ja, string En)> MergeCatalogs()
    {
        var all = new Dictionary<string, (string Ja, string En)>(Catalog, StringComparer.Ordinal);
        foreach (var part in Parts())
        {
            foreach (var (k, v) in part)
            {
                all.Add(k, v);
            }
        }

        return all;
    }

    private static readonly Dictionary<string, (string Ja, string En)> Catalog = new(StringComparer.Ordinal)
    {
        ["app.name"] = ("どこでも役場", "Dokodemo"),
        ["app.tagline"] = ("いつでも・どこでも・誰とでも", "Anytime, anywhere, with anyone"),
        ["shell.skip"] = ("本文へ移動", "Skip to main content"),
        ["shell.nav"] = ("メインメニュー", "Main menu"),
        ["shell.language"] = ("言語", "Language"),
        ["shell.signout"] = ("サインアウト", "Sign out"),
        ["shell.signedin_as"] = ("サインイン中", "Signed in as"),
        ["shell.demo_banner"] = ("デモモードです。表示されている町・職員はすべて架空です。実際の業務には使わないでください。",
            "Demo mode. The town and everyone in it are fictional. Do not use it for real work."),
        ["nav.home"] = ("ホーム", "Home"),
        ["nav.people"] = ("職員名簿", "People"),
        ["nav.account"] = ("アカウント", "Account"),
        ["nav.admin"] = ("利用者管理", "Users"),
        ["home.title"] = ("ホーム", "Home"),
        ["home.welcome"] = ("ようこそ、{0}さん", "Welcome, {0}"),
        ["home.today"] = ("今日", "Today"),
        ["home.fiscal_year"] = ("年度", "Fiscal year"),
        ["home.your_department"] = ("あなたの所属", "Your department"),
        ["home.colleagues"] = ("同じ所属の職員", "Colleagues in your department"),
        ["home.colleagues_none"] = ("同じ所属の職員はいません。", "No one else is in your department."),
        ["home.sites"] = ("町の拠点", "The town's sites"),
        ["home.kind"] = ("区分", "Account kind"),
        ["home.roles"] = ("役割", "Roles"),
        ["pager.label"] = ("ページ送り", "Pages"),
        ["pager.status"] = ("{2}件中 {0}〜{1}件目", "{0}–{1} of {2}"),
        ["pager.prev"] = ("前へ", "Previous"),
        ["pager.next"] = ("次へ", "Next"),
        ["error.user.cannot_disable_self"] = ("自分自身の利用を停止することはできません。", "You cannot disable your own account."),
        ["error.user.already_enrolled"] = ("この利用者は登録済みです。", "This person has already enrolled."),
        ["error.request.method_not_allowed"] = ("この操作はこのアドレスでは使えません。", "This method is not allowed here."),
        ["error.request.unsupported_media_type"] = ("送信された形式には対応していません。", "That content type is not supported."),
        ["people.title"] = ("職員名簿", "People"),
        ["people.search"] = ("氏名・メールで検索", "Search by name or e-mail"),
        ["people.search_button"] = ("検索", "Search"),
        ["people.count"] = ("{0}人", "{0} people"),
        ["people.none"] = ("該当する職員はいません。", "No one matches."),
        ["col.name"] = ("氏名", "Name"),
        ["col.kana"] = ("ふりがな", "Reading"),
        ["col.title"] = ("役職", "Title"),
        ["col.email"] = ("メール", "E-mail"),
        ["col.department"] = ("所属課", "Department"),
        ["col.section"] = ("係", "Section"),
        ["col.kind"] = ("区分", "Kind"),
        ["col.roles"] = ("役割", "Roles"),
        ["col.status"] = ("状態", "Status"),
        ["col.site"] = ("拠点", "Site"),
        ["col.address"] = ("所在地", "Address"),
        ["status.enrolled"] = ("利用中", "Active"),
        ["status.invited"] = ("招待中", "Invited"),
        ["status.disabled"] = ("停止", "Disabled"),
        ["signin.title"] = ("サインイン", "Sign in"),
        ["signin.email"] = ("メールアドレス", "E-mail address"),
        ["signin.password"] = ("パスワード", "Password"),
        ["signin.next"] = ("次へ", "Next"),
        ["signin.code_title"] = ("確認コードの入力", "Enter your code"),
        ["signin.code_help"] = ("認証アプリに表示されている6桁の確認コードを入力してください。認証アプリを使えない場合は、回復コードを入力できます。",
            "Enter the 6-digit code shown in your authenticator app. If you cannot use the app, enter a recovery code."),
        ["signin.code"] = ("確認コードまたは回復コード", "Code or recovery code"),
        ["signin.submit"] = ("サインイン", "Sign in"),
        ["signin.persona_title"] = ("デモの利用者としてサインイン", "Sign in as a demo persona"),
        ["signin.persona_help"] = ("デモモードでは、パスワードなしで次の架空の利用者としてサインインできます（このコンピューターからのみ）。",
            "In demo mode you can sign in as one of these fictional people without a password (from this computer only)."),
        ["persona.staff"] = ("職員", "Staff member"),
        ["persona.manager"] = ("管理職", "Manager"),
        ["persona.dx"] = ("DX推進担当", "DX team"),
        ["persona.security"] = ("情報セキュリティ管理者", "Security admin"),
        ["persona.sidejob"] = ("複業人材", "Side-job worker"),
        ["enrol.title"] = ("利用登録", "Enrolment"),
        ["enrol.intro"] = ("{0}さん、どこでも役場へようこそ。パスワードと認証アプリを設定してください。",
            "Welcome to Dokodemo, {0}. Set a password and an authenticator app."),
        ["enrol.step1"] = ("1. パスワードを決める", "1. Choose a password"),
        ["enrol.password_help"] = ("8文字以上（15文字以上を推奨）。文字の種類の決まりはありません。長い文や言葉の組み合わせがおすすめです。よく使われるパスワードや町の名前は使えません。",
            "At least 8 characters (15 or more recommended). No rules on kinds of characters: a long phrase is best. Common passwords and the town's name are refused."),
        ["enrol.set_password"] = ("パスワードを設定", "Set password"),
        ["enrol.step2"] = ("2. 認証アプリを設定する", "2. Set up your authenticator app"),
        ["enrol.scan"] = ("認証アプリ（Google Authenticator、Microsoft Authenticator など）でこのQRコードを読み取るか、下のキーを入力してください。",
            "Scan this QR code with an authenticator app (Google Authenticator, Microsoft Authenticator, …) or type the key below."),
        ["enrol.qr_alt"] = ("認証アプリ用のQRコード", "QR code for your authenticator app"),
        ["enrol.secret"] = ("セットアップキー", "Setup key"),
        ["enrol.code"] = ("アプリに表示された6桁のコード", "The 6-digit code your app shows"),
        ["enrol.confirm"] = ("確認して登録を完了", "Confirm and finish"),
        ["enrol.done_title"] = ("登録が完了しました", "You are enrolled"),
        ["enrol.recovery_help"] = ("回復コードです。認証アプリを使えなくなったときに1回ずつ使えます。印刷するか安全な場所に保管してください。この画面を閉じると二度と表示されません。",
            "These are your recovery codes. Each works once if you lose your authenticator app. Print them or keep them somewhere safe: they will not be shown again."),
        ["enrol.continue"] = ("ホームへ進む", "Continue to home"),
        ["bootstrap.title"] = ("最初の管理者の登録", "Register the first administrator"),
        ["bootstrap.intro"] = ("このリンクは1回だけ使え、期限があります。最初の管理者の氏名とメールアドレス、所属課を入力してください。続けてパスワードと認証アプリを設定します。",
            "This link works once and expires. Enter the first administrator's name, e-mail address and department; you then set a password and an authenticator app."),
        ["bootstrap.name"] = ("氏名", "Name"),
        ["bootstrap.department"] = ("所属課", "Department"),
        ["bootstrap.submit"] = ("管理者を作成", "Create administrator"),
        ["account.title"] = ("アカウント", "Account"),
        ["account.profile"] = ("プロフィール", "Profile"),
        ["account.recovery"] = ("回復コード", "Recovery codes"),
        ["account.recovery_left"] = ("未使用の回復コード：{0}個", "Unused recovery codes: {0}"),
        ["account.recovery_new"] = ("回復コードを作り直す", "Make new recovery codes"),
        ["account.recovery_new_help"] = ("作り直すと、以前の回復コードは使えなくなります。", "Making new codes makes the old ones stop working."),
        ["account.sessions"] = ("サインイン中のセッション", "Your sessions"),
        ["account.session_started"] = ("開始", "Started"),
        ["account.session_last"] = ("最終利用", "Last used"),
        ["account.session_client"] = ("ブラウザー", "Browser"),
        ["account.session_current"] = ("この端末（使用中）", "This device (in use)"),
        ["account.session_end"] = ("終了", "End"),
        ["account.session_end_others"] = ("ほかのセッションをすべて終了", "End all other sessions"),
        ["account.sessions_ended"] = ("{0}件のセッションを終了しました。", "Ended {0} session(s)."),
        ["admin.title"] = ("利用者管理", "Users"),
        ["admin.invite_title"] = ("利用者を招待", "Invite a person"),
        ["admin.invite_submit"] = ("招待リンクを作成", "Create invite link"),
        ["admin.invite_created"] = ("招待リンクを作成しました。本人に安全な方法で伝えてください（期限：{0}）。",
            "Invite link created. Pass it to the person by a safe channel (expires {0})."),
        ["admin.disable"] = ("利用停止", "Disable"),
        ["admin.enable"] = ("利用再開", "Enable"),
        ["admin.reinvite"] = ("招待を再発行", "New invite"),
        ["admin.roles_help"] = ("役割（複数選択可）", "Roles (choose any)"),
        ["denied.title"] = ("このページは表示できません", "You cannot see this page"),
        ["denied.body"] = ("このページを見る権限がありません。必要な場合は所属の管理職またはシステム管理者に相談してください。",
            "You do not have permission to see this page. Ask your manager or an administrator if you need it."),
        ["notfound.title"] = ("ページが見つかりません", "Page not found"),
        ["notfound.body"] = ("お探しのページは見つかりませんでした。アドレスを確かめるか、ホームから探してください。",
            "We could not find that page. Check the address or start again from home."),
        ["common.back_home"] = ("ホームへ戻る", "Back to home"),
        ["common.required"] = ("必須", "required"),
        ["lang.ja"] = ("日本語", "日本語"),
        ["lang.en"] = ("English", "English"),
        ["kind.Staff"] = ("職員", "Staff"),
        ["kind.PartTimeStaff"] = ("会計年度任用職員", "Part-time staff"),
        ["kind.SideJobWorker"] = ("複業人材", "Side-job worker"),
        ["kind.Partner"] = ("外部パートナー", "Partner"),
        ["error.auth.failed"] = ("メールアドレス、パスワード、または確認コードが正しくありません。しばらくしてからもう一度お試しください。",
            "The e-mail address, password or code is not right. Please try again in a little while."),
        ["error.auth.no_pending_sign_in"] = ("サインインの手続きが見つかりません。最初からやり直してください。", "No sign-in is in progress. Please start again."),
        ["error.enrolment.invite_invalid"] = ("この招待リンクは使えません（使用済み、期限切れ、または誤り）。管理者に新しいリンクを依頼してください。",
            "This invite link cannot be used (already used, expired or wrong). Ask an administrator for a new one."),
        ["error.enrolment.password_first"] = ("先にパスワードを設定してください。", "Set a password first."),
        ["error.password.required"] = ("パスワードを入力してください。", "Enter a password."),
        ["error.password.too_short"] = ("パスワードは8文字以上にしてください（15文字以上を推奨）。", "Use at least 8 characters (15 or more recommended)."),
        ["error.password.too_long"] = ("パスワードは128文字以内にしてください。", "Use at most 128 characters."),
        ["error.password.common"] = ("よく使われていて推測されやすいパスワードです。別のものにしてください。", "That password is too common and easy to guess. Choose another."),
        ["error.password.contains_town_word"] = ("町の名前を含むパスワードは使えません。", "A password may not contain the town's name."),
        ["error.password.contains_personal_word"] = ("氏名やメールアドレスを含むパスワードは使えません。", "A password may not contain your name or e-mail address."),
        ["error.totp.format"] = ("確認コードは6桁の数字で入力してください。", "Enter the 6-digit code."),
        ["error.totp.wrong"] = ("確認コードが正しくありません。アプリに表示されている最新のコードを入力してください。", "That code is not right. Enter the newest code your app shows."),
        ["error.bootstrap.invalid"] = ("このリンクは使えません（使用済みまたは期限切れ）。サーバーを再起動すると新しいリンクが表示されます。",
            "This link cannot be used (used or expired). Restart the server to get a new one."),
        ["error.not_found"] = ("見つかりません。", "Not found."),
        ["error.forbidden"] = ("この操作を行う権限がありません。", "You are not allowed to do this."),
        ["error.unauthenticated"] = ("サインインしてください。", "Please sign in."),
        ["error.rate_limited"] = ("短い時間に多くの操作が行われました。しばらく待ってからお試しください。", "Too many attempts in a short time. Please wait and try again."),
        ["error.request.invalid"] = ("リクエストの形式が正しくありません。", "The request is not in the right form."),
        ["error.request.too_large"] = ("送信された内容が大きすぎます。", "The request is too large."),
        ["error.user.email_invalid"] = ("メールアドレスの形式が正しくありません。", "That is not a valid e-mail address."),
        ["error.user.email_taken"] = ("このメールアドレスはすでに登録されています。", "That e-mail address is already registered."),
        ["error.user.name_invalid"] = ("氏名を100文字以内で入力してください。", "Enter a name of at most 100 characters."),
        ["error.user.role_unknown"] = ("存在しない役割が指定されています。", "An unknown role was given."),
        ["error.user.outsider_role"] = ("複業人材・外部パートナーに付けられる役割は「職員」だけです。", "Side-job workers and partners can hold only the staff role."),
        ["error.user.department_unknown"] = ("その所属課は登録されていません。", "That department does not exist."),
        ["error.user.section_unknown"] = ("その係はこの所属課にありません。", "That section is not in this department."),
        ["error.user.kind_unknown"] = ("区分は 職員・会計年度任用職員・複業人材・外部パートナー のいずれかです。", "Kind must be Staff, PartTimeStaff, SideJobWorker or Partner."),
        ["error.user.invalid"] = ("利用者を作成できませんでした。", "The user could not be created."),
        ["error.internal"] = ("サーバーで問題が発生しました。時間をおいてお試しください。", "Something went wrong on the server. Please try again later."),
    };
}
