using System.Text.Json;
using Microsoft.Identity.Client;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Authentication;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Simulator;

/// <summary>The simulator's identity provider speaks what MSAL needs, client credentials included.</summary>
public sealed class IdentityProviderSimulatorTests
{
    [Fact]
    public async Task OpenID_discovery_names_the_endpoints_MSAL_uses()
    {
        await using var world = await SignInWorld.StartAsync();
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, _) => c!.Thumbprint == world.Idp.Certificate.Thumbprint });

        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(world.Idp.AuthorityHost, "organizations/v2.0/.well-known/openid-configuration")));

        Assert.Equal($"{world.Idp.AuthorityHost}organizations/oauth2/v2.0/token", document.RootElement.GetProperty("token_endpoint").GetString());
        Assert.Equal($"{world.Idp.AuthorityHost}organizations/oauth2/v2.0/devicecode", document.RootElement.GetProperty("device_authorization_endpoint").GetString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Client_credentials_with_a_secret_or_a_certificate_give_an_app_only_token_that_the_module_refuses(bool withCertificate)
    {
        await using var world = await SignInWorld.StartAsync();
        var builder = ConfidentialClientApplicationBuilder.Create(SignInWorld.PartnerAppId)
            .WithAuthority(new Uri(world.Idp.AuthorityHost, IdentityProviderSimulator.PartnerA.TenantId.ToString()).ToString(), validateAuthority: false)
            .WithInstanceDiscovery(false)
            .WithHttpClientFactory(new TrustingFactory(world));
        var app = (withCertificate ? builder.WithCertificate(world.AppCertificate) : builder.WithClientSecret(world.AppSecret)).Build();

        var result = await app.AcquireTokenForClient(["https://api.partnercenter.microsoft.com/.default"]).ExecuteAsync();
        using var connection = PartnerConnection.FromAccessToken(result.AccessToken, PartnerCenterEnvironment.Global, world.Api.BaseAddress);

        Assert.True(AccessTokenClaims.TryParse(result.AccessToken)!.IsAppOnly);
        await Assert.ThrowsAsync<PartnerCenterAppOnlyTokenException>(() =>
            connection.Client.GetCustomerLicenseUsageAsync(SimulatorOptions.SeedCustomerId, new PartnerCenterOperation(), CancellationToken.None));
        Assert.Empty(world.Api.Requests.Snapshot());
    }

    [Fact]
    public async Task Client_credentials_with_a_wrong_secret_are_refused()
    {
        await using var world = await SignInWorld.StartAsync();
        var app = ConfidentialClientApplicationBuilder.Create(SignInWorld.PartnerAppId)
            .WithAuthority(new Uri(world.Idp.AuthorityHost, "organizations").ToString(), validateAuthority: false)
            .WithInstanceDiscovery(false)
            .WithHttpClientFactory(new TrustingFactory(world))
            .WithClientSecret("not-the-secret")
            .Build();

        var error = await Assert.ThrowsAnyAsync<MsalServiceException>(() => app.AcquireTokenForClient(["https://api.partnercenter.microsoft.com/.default"]).ExecuteAsync());

        Assert.Equal("invalid_client", error.ErrorCode);
    }

    private sealed class TrustingFactory(SignInWorld world) : IMsalHttpClientFactory
    {
        private readonly HttpClient _client = new(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, _) => c!.Thumbprint == world.Idp.Certificate.Thumbprint });

        public HttpClient GetHttpClient() => _client;
    }
}
