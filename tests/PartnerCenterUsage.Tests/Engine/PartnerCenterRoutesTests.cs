using PartnerCenterUsage.Engine.Http;

namespace PartnerCenterUsage.Tests.Engine;

public sealed class PartnerCenterRoutesTests
{
    private static readonly Uri Base = new("https://api.partnercenter.microsoft.com/");

    private static readonly Uri CustomersPage = new(Base, "v1/customers?size=500");
    private static readonly Uri PartnerFormPage = new(Base, "partner/v1/analytics/commercial/usage/license?top=10000");

    [Theory]
    [InlineData("/customers?size=500&seekOperation=Next", "https://api.partnercenter.microsoft.com/v1/customers?size=500&seekOperation=Next")]
    [InlineData("/v1/customers?size=500&seekOperation=Next", "https://api.partnercenter.microsoft.com/v1/customers?size=500&seekOperation=Next")]
    [InlineData("customers?size=5&seekOperation=Next", "https://api.partnercenter.microsoft.com/v1/customers?size=5&seekOperation=Next")]
    [InlineData("https://api.partnercenter.microsoft.com/v1/customers?seekOperation=Next", "https://api.partnercenter.microsoft.com/v1/customers?seekOperation=Next")]
    public void A_next_link_resolves_relative_with_or_without_version_or_absolute_on_the_same_host(string link, string expected)
    {
        Assert.Equal(new Uri(expected), PartnerCenterRoutes.ResolveNextLink(Base, CustomersPage, link));
    }

    [Theory]
    [InlineData("/partner/v1/analytics/commercial/usage/license?top=10000&skip=10000", "https://api.partnercenter.microsoft.com/partner/v1/analytics/commercial/usage/license?top=10000&skip=10000")]
    [InlineData("/v1/analytics/commercial/usage/license?skip=10000", "https://api.partnercenter.microsoft.com/v1/analytics/commercial/usage/license?skip=10000")]
    [InlineData("/analytics/commercial/usage/license?skip=10000", "https://api.partnercenter.microsoft.com/partner/v1/analytics/commercial/usage/license?skip=10000")]
    [InlineData("license?top=10000&skip=10000", "https://api.partnercenter.microsoft.com/partner/v1/analytics/commercial/usage/license?top=10000&skip=10000")]
    [InlineData("partner/v1/analytics/commercial/usage/license?skip=1", "https://api.partnercenter.microsoft.com/partner/v1/analytics/commercial/usage/license?skip=1")]
    [InlineData("?top=10000&skip=10000", "https://api.partnercenter.microsoft.com/partner/v1/analytics/commercial/usage/license?top=10000&skip=10000")]
    public void A_next_link_without_its_version_root_takes_the_one_of_the_request_it_came_with(string link, string expected)
    {
        Assert.Equal(new Uri(expected), PartnerCenterRoutes.ResolveNextLink(Base, PartnerFormPage, link));
    }

    [Fact]
    public void A_next_link_under_a_base_path_keeps_the_path()
    {
        var baseWithPath = new Uri("http://127.0.0.1:5980/pc/");
        var request = new Uri(baseWithPath, "v1/customers?size=5");

        Assert.Equal(new Uri("http://127.0.0.1:5980/pc/v1/customers?size=5"), PartnerCenterRoutes.ResolveNextLink(baseWithPath, request, "/customers?size=5"));
        Assert.Equal(new Uri("http://127.0.0.1:5980/pc/v1/customers?size=5"), PartnerCenterRoutes.ResolveNextLink(baseWithPath, request, "/pc/v1/customers?size=5"));
    }

    [Theory]
    [InlineData("https://evil.example/v1/customers?seekOperation=Next")]
    [InlineData("http://api.partnercenter.microsoft.com:8080/v1/customers")]
    [InlineData("file:///etc/passwd")]
    [InlineData("javascript:alert(1)")]
    [InlineData("")]
    [InlineData("   ")]
    public void A_next_link_to_another_host_another_scheme_or_nowhere_is_refused(string link)
    {
        Assert.Throws<PartnerCenterUsage.Engine.PartnerCenterInvalidResponseException>(() => PartnerCenterRoutes.ResolveNextLink(Base, CustomersPage, link));
    }

    [Theory]
    [InlineData("https://h/v1/a?top=10000", 10000, "https://h/v1/a?top=10000&skip=10000")]
    [InlineData("https://h/v1/a?top=10000&skip=10000&filter=x", 20000, "https://h/v1/a?top=10000&filter=x&skip=20000")]
    [InlineData("https://h/v1/a", 5, "https://h/v1/a?skip=5")]
    public void Paging_by_skip_replaces_the_skip_of_the_first_request(string first, long skip, string expected)
    {
        Assert.Equal(new Uri(expected), PartnerCenterRoutes.WithSkip(new Uri(first), skip));
    }

    [Fact]
    public void A_filter_is_starts_with_JSON_escaped_into_the_query()
    {
        var route = PartnerCenterRoutes.Customers(500, new CustomerFilter(CustomerFilterField.CompanyName, "A&B \"C\""));

        var query = System.Web.HttpUtility.ParseQueryString(new Uri(Base, route).Query);
        Assert.Equal("500", query["size"]);
        Assert.Equal("{\"Field\":\"CompanyName\",\"Value\":\"A\\u0026B \\u0022C\\u0022\",\"Operator\":\"starts_with\"}", query["filter"]);
    }
}
