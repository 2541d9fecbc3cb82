using PartnerCenterUsage.Engine;

namespace PartnerCenterUsage.Tests.Engine;

public sealed class PartnerCenterCloudTests
{
    [Theory]
    [InlineData(PartnerCenterEnvironment.Global, "https://api.partnercenter.microsoft.com/", "https://login.microsoftonline.com/", "https://api.partnercenter.microsoft.com/user_impersonation")]
    [InlineData(PartnerCenterEnvironment.China, "https://partner.partnercenterapi.microsoftonline.cn/", "https://login.chinacloudapi.cn/", "https://partner.partnercenterapi.microsoftonline.cn/user_impersonation")]
    [InlineData(PartnerCenterEnvironment.USGovernment, "https://api.partnercenter.microsoft.com/", "https://login.microsoftonline.us/", "https://api.partnercenter.microsoft.com/user_impersonation")]
    public void Each_environment_chooses_api_authority_and_scope_together(PartnerCenterEnvironment environment, string api, string authority, string scope)
    {
        Assert.Equal(new Uri(api), PartnerCenterEndpoints.GetApiEndpoint(environment));
        Assert.Equal(new Uri(authority), PartnerCenterEndpoints.GetAuthorityHost(environment));
        Assert.Equal(scope, PartnerCenterEndpoints.GetUserScope(environment));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000")]
    [InlineData("ftp://login.example")]
    public void A_custom_authority_must_be_https(string authority)
    {
        Assert.Throws<PartnerCenterEndpointException>(() => PartnerCenterEndpoints.NormalizeCustomAuthority(new Uri(authority)));
    }
}
