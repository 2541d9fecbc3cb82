using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace PartnerCenterUsage.Engine.Reports.Html;

/// <summary>
/// The page's own style and script, embedded resources of the engine assembly (Reports/Html/LicenseReport.css and
/// .js), read once. Their Content-Security-Policy source, <c>'sha256-…'</c>, is computed from the text as the page
/// carries it, so the policy always allows exactly what is on the page, however the files change.
/// </summary>
internal sealed class PageAsset
{
    private PageAsset(string tag, string resource)
    {
        Tag = tag;
        Text = Read(resource);
        if (Text.IndexOf("</" + tag, StringComparison.OrdinalIgnoreCase) >= 0)
        {
            // The element's text ends at the first "</style" or "</script": the asset would end early.
            throw new InvalidOperationException($"The resource {resource} closes its own <{tag}> element.");
        }

        Source = "'sha256-" + Hash(Text) + "'";
    }

    /// <summary>The style: laid out for screen and print, readable in grey-scale.</summary>
    public static PageAsset Style { get; } = new("style", "PartnerCenterUsage.Engine.Reports.LicenseReport.css");

    /// <summary>
    /// The script: sorts a table by the column whose header is clicked, numbers by the raw value in data-v (an unknown
    /// one, "", always last), text by the cell's text; a second click reverses. Plain ES5, so that any browser runs it.
    /// </summary>
    public static PageAsset Script { get; } = new("script", "PartnerCenterUsage.Engine.Reports.LicenseReport.js");

    /// <summary>The element that carries it, "style" or "script".</summary>
    public string Tag { get; }

    /// <summary>The element's text as the page carries it.</summary>
    public string Text { get; }

    /// <summary>The Content-Security-Policy source that allows exactly <see cref="Text"/>, quoted.</summary>
    public string Source { get; }

    /// <summary>
    /// The resource's text, on a line of its own inside its element, with LF line ends whatever a checkout made of the
    /// file: a browser parses CR LF as LF before it hashes an inline style or script, so the hash must be of LF text.
    /// </summary>
    private static string Read(string resource)
    {
        using var stream = typeof(PageAsset).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The engine assembly lacks its resource {resource}.");
        using var reader = new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        var text = reader.ReadToEnd().Replace("\r\n", "\n");
        return "\n" + (text.EndsWith("\n", StringComparison.Ordinal) ? text : text + "\n");
    }

    private static string Hash(string text)
    {
        using var sha = SHA256.Create();
        return Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(text)));
    }
}
