using System.Text.RegularExpressions;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Suite;

/// <summary>
/// The rooms of the xunit suite say what lives there: each folder is listed in the README's layout table and in the
/// Tests section of docs/design.md (and nothing listed is gone), each file declares its folder's namespace, and each holds
/// one public type named after the file.
/// </summary>
public sealed partial class SuiteLayoutTests
{
    private static readonly string Suite = Repo.Path("tests", "PartnerCenterUsage.Tests");

    private static List<string> Rooms() =>
        [.. Directory.GetDirectories(Suite).Select(Path.GetFileName).OfType<string>().Where(d => d is not ("bin" or "obj")).Order(StringComparer.Ordinal)];

    [Fact]
    public void Every_room_is_listed_in_the_README_layout_and_the_design_notes_and_every_room_listed_is_there()
    {
        var readme = File.ReadAllText(Repo.Path("README.md"));
        var design = File.ReadAllText(Repo.Path("docs", "design.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var tests = design[design.IndexOf("\n## Tests\n", StringComparison.Ordinal)..];
        tests = tests.IndexOf("\n## ", 1, StringComparison.Ordinal) is var next and > 0 ? tests[..next] : tests;

        var rooms = Rooms();
        Assert.Contains("Scenarios", rooms);
        Assert.Empty(rooms.Where(r => !readme.Contains($"| `tests/PartnerCenterUsage.Tests/{r}` |", StringComparison.Ordinal)).Select(r => "README.md lacks " + r));
        Assert.Empty(rooms.Where(r => !tests.Contains($"- `{r}/`", StringComparison.Ordinal)).Select(r => "docs/design.md's Tests section lacks " + r));
        Assert.Empty(ReadmeRoomRegex().Matches(readme).Select(m => m.Groups["room"].Value).Concat(DesignRoomRegex().Matches(tests).Select(m => m.Groups["room"].Value))
            .Where(r => !rooms.Contains(r)).Select(r => "listed but not there: " + r));
    }

    public static TheoryData<string> Files() =>
        new(Rooms().SelectMany(r => Directory.GetFiles(Path.Combine(Suite, r), "*.cs").Order(StringComparer.Ordinal).Select(f => r + "/" + Path.GetFileName(f))));

    [Theory]
    [MemberData(nameof(Files))]
    public void A_file_declares_its_room_s_namespace_and_one_public_type_of_its_own_name(string file)
    {
        var text = File.ReadAllText(Path.Combine(Suite, file));
        var room = file.Split('/')[0];

        Assert.Matches($@"(?m)^namespace PartnerCenterUsage\.Tests\.{room};", text);
        Assert.Equal([Path.GetFileNameWithoutExtension(file)], TopLevelTypeRegex().Matches(text).Select(m => m.Groups["name"].Value));
    }

    [GeneratedRegex(@"\| `tests/PartnerCenterUsage\.Tests/(?<room>[^`/]+)` \|")]
    private static partial Regex ReadmeRoomRegex();

    [GeneratedRegex(@"(?m)^- `(?<room>[A-Za-z]+)/`")]
    private static partial Regex DesignRoomRegex();

    // Types at the top of a file-scoped namespace start their line; nested ones are indented.
    [GeneratedRegex(@"(?m)^(?:public|internal) (?:(?:sealed|static|abstract|partial|readonly) )*(?:class|record|struct|enum|interface) (?<name>\w+)")]
    private static partial Regex TopLevelTypeRegex();
}
