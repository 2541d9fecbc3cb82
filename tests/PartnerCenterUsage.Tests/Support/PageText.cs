using System.Security.Cryptography;
using System.Text;

namespace PartnerCenterUsage.Tests.Support;

/// <summary>Reading a written report page as text: what lies between two marks, how often a part occurs, and a CSP hash.</summary>
public static class PageText
{
    /// <summary>The text between the first <paramref name="start"/> and the next <paramref name="end"/>; fails when there is no start.</summary>
    public static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, "No " + start);
        from += start.Length;
        return text[from..text.IndexOf(end, from, StringComparison.Ordinal)];
    }

    /// <summary>The Content-Security-Policy source that allows <paramref name="text"/> as an inline style or script.</summary>
    public static string Hash(string text) =>
        "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>How many times <paramref name="part"/> occurs in <paramref name="text"/>, not overlapping.</summary>
    public static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
