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

    [Theory]
    [InlineData("productName eq 'x') or (productName ne 'x'", 19, "closes a parenthesis it did not open")]
    [InlineData("productName ne 'x')", 19, "closes a parenthesis it did not open")]
    [InlineData(") or (productName ne 'x'", 1, "closes a parenthesis it did not open")]
    [InlineData("(productName eq 'a') or productName eq 'b')", 43, "closes a parenthesis it did not open")]
    [InlineData("(productName eq 'x'", 1, "opens a parenthesis it does not close")]
    [InlineData("productName eq 'x", 16, "has a quoted value that does not end")]
    [InlineData("productName eq 'x'') or (productName ne 'x'", 43, "has a quoted value that does not end")]
    [InlineData("productName eq \"x\") or (productName ne \"x\"", 16, "double quote outside a quoted value")]
    public void A_raw_filter_that_could_leave_its_group_is_refused_saying_where(string filter, int character, string why)
    {
        // Put after the customer's condition, this filter would select rows the condition leaves out: refused, whichever way it is set.
        var refused = Assert.Throws<CommercialFilterException>(() => new CommercialQuery { Filter = filter });
        Assert.Throws<CommercialFilterException>(() => new CommercialPlan(CommercialReport.Usage) { Filter = filter });

        Assert.Equal(filter, refused.Filter);
        Assert.Equal(character, refused.Position + 1);
        Assert.Contains(why, refused.Message, StringComparison.Ordinal);
        Assert.Contains($"At character {character}:", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("productName eq 'a)b'")]
    [InlineData("productName eq 'O''Brien (EU)' or productName eq ')('")]
    [InlineData("productName eq 'it'')s'")]
    [InlineData("productName eq 'say \"hi\")'")]
    [InlineData("(productName eq 'x' or (serviceCode eq 'y')) and channel ne 'z'")]
    [InlineData("productName eq ''''")]
    public void Parentheses_and_quotes_inside_a_value_are_the_value_s_and_the_filter_stays_in_its_group(string filter)
    {
        var query = new CommercialQuery { Filter = filter }.Where(CommercialField.CustomerId, ["A"]);

        Assert.Equal($"customerTenantId eq 'A' and ({filter})", query.FilterText());
    }

    [Fact]
    public void A_doubled_quote_ends_no_value_so_a_parenthesis_after_it_is_still_inside()
    {
        // 'a'')' is the value a'): nothing closes the group. 'a''' is the value a', and the ) after it closes one.
        Assert.Equal("productName eq 'a'')'", new CommercialQuery { Filter = "productName eq 'a'')'" }.FilterText());
        var refused = Assert.Throws<CommercialFilterException>(() => new CommercialQuery { Filter = "productName eq 'a''' ) or (productName ne 'b'" });
        Assert.Equal("productName eq 'a''' ".Length, refused.Position);
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
