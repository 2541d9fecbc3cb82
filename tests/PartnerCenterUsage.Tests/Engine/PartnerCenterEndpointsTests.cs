using PartnerCenterUsage.Engine;

namespace PartnerCenterUsage.Tests.Engine;

public sealed class PartnerCenterEndpointsTests
{
    [Theory]
    [InlineData("https://api.partnercenter.microsoft.com", "https://api.partnercenter.microsoft.com/")]
    [InlineData("https://proxy.example/pc/", "https://proxy.example/pc/")]
    [InlineData("http://127.0.0.1:5980", "http://127.0.0.1:5980/")]
    [InlineData("http://127.8.9.10", "http://127.8.9.10/")]
    [InlineData("http://localhost:1/x", "http://localhost:1/x/")]
    [InlineData("http://[::1]:80/", "http://[::1]/")]
    public void Https_anywhere_and_http_to_loopback_are_accepted_with_a_trailing_slash(string endpoint, string expected)
    {
        Assert.Equal(new Uri(expected), PartnerCenterEndpoints.NormalizeCustomEndpoint(new Uri(endpoint)));
    }

    [Theory]
    [InlineData("http://api.partnercenter.microsoft.com")]
    [InlineData("http://192.168.1.10")]
    [InlineData("http://localhost.example.com")]
    [InlineData("ftp://127.0.0.1")]
    [InlineData("https://user:pass@proxy.example/")]
    [InlineData("https://proxy.example/?x=1")]
    public void Anything_else_is_refused(string endpoint)
    {
        Assert.Throws<PartnerCenterEndpointException>(() => PartnerCenterEndpoints.NormalizeCustomEndpoint(new Uri(endpoint)));
    }

    [Fact]
    public void A_password_in_a_refused_URL_is_not_repeated_in_the_message()
    {
        var error = Assert.Throws<PartnerCenterEndpointException>(() => PartnerCenterEndpoints.NormalizeCustomEndpoint(new Uri("http://admin:s3cr3t@partner.example:8080/pc")));

        Assert.DoesNotContain("s3cr3t", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_relative_endpoint_is_refused()
    {
        Assert.Throws<PartnerCenterEndpointException>(() => PartnerCenterEndpoints.NormalizeCustomEndpoint(new Uri("/v1", UriKind.Relative)));
    }
}
