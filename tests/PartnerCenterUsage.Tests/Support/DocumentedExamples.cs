using System.Text.RegularExpressions;

namespace PartnerCenterUsage.Tests.Support;

/// <summary>
/// The PowerShell examples of docs/cmdlets, found one way for both suites: DocumentedExampleTests runs them in the hosted
/// engine, tests/Pester/Examples.Tests.ps1 in real pwsh, which compiles this file and DocumentedExample.cs with Add-Type.
/// So they keep to the framework: no generated regex, no other type of the tests, and the implicit usings of the test
/// project only (Add-Type is given the same ones).
/// </summary>
public static class DocumentedExamples
{
    /// <summary>The line under an example's title that marks it as needing a real tenant: it is not run.</summary>
    public const string NeedsRealTenant = "<!-- needs a real tenant -->";

    // An example: its title, what comes before its code (where the marker goes), and its ```powershell block.
    private static readonly Regex Example = new(@"### (?<title>[^\n]+)\n(?<body>(?:(?!### )[^\n]*\n)*?)```powershell\n(?<code>(?s:.*?))```");

    /// <summary>Every PowerShell example of the cmdlet pages (*-*.md) in <paramref name="directory"/>, page by page, those that need a real tenant included.</summary>
    public static IReadOnlyList<DocumentedExample> All(string directory)
    {
        var examples = new List<DocumentedExample>();
        foreach (var file in Directory.GetFiles(directory, "*-*.md").Order())
        {
            var text = File.ReadAllText(file).Replace("\r\n", "\n", StringComparison.Ordinal);
            var section = text[text.IndexOf("## EXAMPLES", StringComparison.Ordinal)..text.IndexOf("## PARAMETERS", StringComparison.Ordinal)];
            foreach (Match example in Example.Matches(section))
            {
                examples.Add(new DocumentedExample(
                    $"{Path.GetFileNameWithoutExtension(file)}: {example.Groups["title"].Value.Trim()}",
                    example.Groups["code"].Value,
                    example.Groups["body"].Value.Contains(NeedsRealTenant, StringComparison.Ordinal)));
            }
        }

        return examples;
    }

    /// <summary>The examples that run against the simulator: every one not marked as needing a real tenant.</summary>
    public static IReadOnlyList<DocumentedExample> Runnable(string directory) => [.. All(directory).Where(e => !e.NeedsRealTenant)];
}
