using System.Text.RegularExpressions;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>
/// The engine says what happened; what to do about it (which command or parameter to use) is the cmdlet layer's to say
/// (ErrorRecords), so advice has one home and the engine knows nothing of PowerShell's commands.
/// </summary>
public sealed partial class EngineMessagesTests
{
    // A module command, or a parameter of one, as advice would name it: "Connect-PCPartner", "-UseDeviceAuthentication".
    [GeneratedRegex(@"\b(Connect|Disconnect|Get|Export)-PC[A-Za-z]+\b|(^|[\s(])-(?!-)[A-Z][a-z]+[A-Z][A-Za-z]*\b")]
    private static partial Regex Advice();

    // The text of a C# string literal (regular, verbatim or interpolated) on one line.
    [GeneratedRegex("\\$?@?\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex StringLiteral();

    [Fact]
    public void No_string_of_the_engine_names_a_cmdlet_or_a_parameter()
    {
        var found = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Repo.Path("src", "PartnerCenterUsage.Engine"), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }

            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i].TrimStart();
                if (line.StartsWith("//", StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (Match literal in StringLiteral().Matches(line))
                {
                    if (Advice().Match(literal.Groups[1].Value) is { Success: true } advice)
                    {
                        found.Add($"{Path.GetRelativePath(Repo.Root, file)}:{i + 1}: {advice.Value.Trim()}");
                    }
                }
            }
        }

        Assert.True(found.Count == 0, "Advice in the engine:\n" + string.Join('\n', found));
    }

    [Fact]
    public void The_check_finds_advice_where_there_is_some()
    {
        Assert.Matches(Advice(), "Run Connect-PCPartner again.");
        Assert.Matches(Advice(), "Use -UseDeviceAuthentication instead.");
        Assert.Matches(Advice(), "(-ThrottleLimit lowers it)");
        Assert.DoesNotMatch(Advice(), "MS-RequestId: {0}, MS-CorrelationId: {1}.");
        Assert.DoesNotMatch(Advice(), "a wait of -1 s");
    }
}
