using PartnerCenterUsage.Engine;

namespace PartnerCenterUsage.Tests.Engine;

public sealed class CommercialQueryTests
{
    [Fact]
    public void Values_of_one_field_are_ORed_fields_ANDed_and_a_raw_filter_ANDed_with_them()
    {
        var query = new CommercialQuery { Filter = "serviceCode ne 'X'" }
            .Where(CommercialField.CustomerName, ["Contoso", "Fabrikam"])
            .Where(CommercialField.ProductName, ["OFFICE 365 E3"]);

        Assert.Equal(
            "(customerName eq 'Contoso' or customerName eq 'Fabrikam') and productName eq 'OFFICE 365 E3' and (serviceCode ne 'X')",
            query.FilterText());
    }

    [Fact]
    public void A_single_condition_needs_no_parentheses_and_nothing_is_no_filter()
    {
        Assert.Equal("channel eq 'reseller' or channel eq 'direct'", new CommercialQuery().Where(CommercialField.Channel, ["reseller", "direct"]).FilterText());
        Assert.Equal("workloadName eq 'Exchange'", new CommercialQuery { Filter = " workloadName eq 'Exchange' " }.FilterText());
        Assert.Null(new CommercialQuery().FilterText());
        Assert.Null(new CommercialQuery { Filter = "  " }.FilterText());
    }

    [Fact]
    public void A_single_quote_inside_a_value_is_doubled()
    {
        Assert.Equal("customerName eq 'O''Brien ''s Shop'", new CommercialQuery().Where(CommercialField.CustomerName, ["O'Brien 's Shop"]).FilterText());
    }

    [Fact]
    public void Property_names_map_to_the_API_s_field_names()
    {
        Assert.Equal("customerTenantId", CommercialQuery.ApiName(CommercialField.CustomerId));
        Assert.Equal(
            ["customerTenantId", "customerName", "productId", "productName", "serviceCode", "serviceName", "workloadCode", "workloadName", "channel"],
            CommercialQuery.FieldsOf(CommercialReport.Usage).Select(CommercialQuery.ApiName));
        Assert.DoesNotContain(CommercialField.WorkloadName, CommercialQuery.FieldsOf(CommercialReport.Deployment));
        Assert.DoesNotContain(CommercialField.WorkloadCode, CommercialQuery.FieldsOf(CommercialReport.Deployment));
    }

    [Fact]
    public void The_query_string_asks_for_the_largest_page_and_encodes_filter_groupby_and_date()
    {
        var query = new CommercialQuery { ProcessedDateTime = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(2)) }
            .Where(CommercialField.CustomerName, ["A&B"]);
        query.GroupBy.Add(CommercialField.CustomerName);
        query.GroupBy.Add(CommercialField.ProductName);

        var parsed = System.Web.HttpUtility.ParseQueryString(query.ToQueryString(10000));

        Assert.Equal("10000", parsed["top"]);
        Assert.Null(parsed["skip"]);
        Assert.Equal("customerName eq 'A&B'", parsed["filter"]);
        Assert.Equal("customerName,productName", parsed["groupby"]);
        Assert.Equal("2026-10-31T22:00:00Z", parsed["processedDateTime"]);
    }

    [Fact]
    public void A_workload_field_is_refused_for_deployment_rows()
    {
        var query = new CommercialQuery().Where(CommercialField.WorkloadName, ["Exchange"]);

        Assert.Throws<ArgumentException>(() => query.Validate(CommercialReport.Deployment));
        query.Validate(CommercialReport.Usage);
    }
}
