using System.Net;
using System.Net.Mail;

namespace Dokodemo.Hosting;

/// <summary>One plain-text e-mail.</summary>
public sealed record MailMessageData(string To, string Subject, string Body);

/// <summary>Sends e-mail. <see cref="IsConfigured"/> is false when no SMTP server is set: features that send mail are then off.</summary>
public interface IMailSender
{
    bool IsConfigured { get; }

    Task SendAsync(MailMessageData message, CancellationToken ct);
}

/// <summary>"Dokodemo:Mail:Smtp": the SMTP server. Without a host, no mail is sent. The password is never logged.</summary>
public sealed class SmtpSettings
{
    public const string Section = "Dokodemo:Mail:Smtp";

    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public string? From { get; set; }
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public bool EnableSsl { get; set; } = true;

    public override string ToString() => $"{Host}:{Port} from {From} as {UserName ?? "(anonymous)"} ssl={EnableSsl}";
}

/// <summary>SMTP through System.Net.Mail (MailKit is not available on this registry). One connection per message.</summary>
public sealed class SmtpMailSender(Microsoft.Extensions.Options.IOptions<SmtpSettings> options, ILogger<SmtpMailSender> log) : IMailSender
{
    private readonly SmtpSettings settings = options.Value;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(settings.Host) && !string.IsNullOrWhiteSpace(settings.From);

    public async Task SendAsync(MailMessageData message, CancellationToken ct)
    {
        if (!IsConfigured)
        {
            throw new InvalidOperationException("No SMTP server is configured (Dokodemo:Mail:Smtp:Host and From).");
        }

        using var mail = new MailMessage(settings.From!, message.To, message.Subject, message.Body)
        {
            BodyEncoding = System.Text.Encoding.UTF8, SubjectEncoding = System.Text.Encoding.UTF8, IsBodyHtml = false,
        };
        using var client = new SmtpClient(settings.Host, settings.Port) { EnableSsl = settings.EnableSsl, DeliveryMethod = SmtpDeliveryMethod.Network };
        if (!string.IsNullOrEmpty(settings.UserName))
        {
            client.Credentials = new NetworkCredential(settings.UserName, settings.Password);
        }

        await client.SendMailAsync(mail, ct);
        log.LogInformation("Mail sent through {Host}:{Port}.", settings.Host, settings.Port);
    }
}

public static class MailSetup
{
    public static WebApplicationBuilder AddMail(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<SmtpSettings>(builder.Configuration.GetSection(SmtpSettings.Section));
        builder.Services.AddSingleton<IMailSender, SmtpMailSender>();
        return builder;
    }
}
