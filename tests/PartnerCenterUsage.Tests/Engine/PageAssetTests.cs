using System.Security.Cryptography;
using System.Text;
using PartnerCenterUsage.Engine.Reports.Html;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Engine;

public sealed class PageAssetTests
{
    public static TheoryData<string, string> Assets => new()
    {
        { "style", "LicenseReport.css" },
        { "script", "LicenseReport.js" },
    };

    private static PageAsset Asset(string tag) => tag == "style" ? PageAsset.Style : PageAsset.Script;

    [Theory]
    [MemberData(nameof(Assets))]
    public void Each_is_its_file_in_the_repository_on_a_line_of_its_own_with_LF_line_ends(string tag, string file)
    {
        var source = File.ReadAllText(Repo.Path("src", "PartnerCenterUsage.Engine", "Reports", "Html", file)).Replace("\r\n", "\n", StringComparison.Ordinal);

        var asset = Asset(tag);

        Assert.Equal(tag, asset.Tag);
        Assert.Equal("\n" + source, asset.Text);
        Assert.DoesNotContain("\r", asset.Text, StringComparison.Ordinal);
        Assert.EndsWith("\n", asset.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("style")]
    [InlineData("script")]
    public void Its_policy_source_is_the_hash_of_the_text_the_page_carries(string tag)
    {
        var asset = Asset(tag);

        Assert.Equal("'sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(asset.Text))) + "'", asset.Source);
    }
}
