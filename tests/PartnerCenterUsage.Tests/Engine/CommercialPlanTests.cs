using System.Web;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>
/// The commercial plan without PowerShell: customer ids 40 to a request, conditions sent or matched here, and grouped
/// rows of several requests merged into one row per group.
/// </summary>
public sealed class CommercialPlanTests
{
    private static Guid Id(int i) => new(i, 0, 0, new byte[8]);

    private static List<Guid> Ids(int count) => Enumerable.Range(1, count).Select(Id).ToList();

    private static List<Guid> IdsOf(CommercialQuery query) =>
        query.Conditions.Where(c => c.Key == CommercialField.CustomerId).SelectMany(c => c.Value).Select(Guid.Parse).ToList();

    private static CustomerLicenseUsage Usage(string? product, long? active, long? qualified, string? customer = "Contoso") =>
        new() { CustomerName = customer, ProductName = product, LicensesActive = active, LicensesQualified = qualified };

    // Runs the rows of each request through the merger as the cmdlet does: what it writes at once, then what it merged.
    private static List<object> Output(CommercialRowMerger merger, params object[][] requests)
    {
        var written = requests.SelectMany(rows => rows).Select(merger.Take).OfType<object>().ToList();
        return [.. written, .. merger.Merged];
    }

    [Fact]
    public void Without_customers_one_request_asks_for_the_whole_portfolio()
    {
        var query = Assert.Single(new CommercialPlan(CommercialReport.Usage).Queries());

        Assert.Null(query.FilterText());
        Assert.Empty(query.GroupBy);
    }

    [Fact]
    public void An_empty_list_of_customers_selects_nobody_and_asks_nothing()
    {
        Assert.Empty(new CommercialPlan(CommercialReport.Usage).ForCustomers([]).Queries());
    }

    [Theory]
    [InlineData(1, new[] { 1 })]
    [InlineData(40, new[] { 40 })]
    [InlineData(41, new[] { 40, 1 })]
    [InlineData(81, new[] { 40, 40, 1 })]
    public void Customers_are_asked_for_40_to_a_request_each_once_in_the_order_given(int customers, int[] perRequest)
    {
        var ids = Ids(customers);

        var queries = new CommercialPlan(CommercialReport.Usage).ForCustomers(ids).Queries();

        Assert.Equal(perRequest, queries.Select(q => IdsOf(q).Count));
        Assert.Equal(ids, queries.SelectMany(IdsOf));
        Assert.StartsWith($"customerTenantId eq '{ids[0].ToString("D").ToUpperInvariant()}'", queries[0].FilterText(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_customer_given_twice_is_asked_for_once_and_does_not_take_a_place_in_a_batch()
    {
        var ids = Ids(40);

        var queries = new CommercialPlan(CommercialReport.Usage).ForCustomers([.. ids, ids[0], ids[39]]).ForCustomers(ids.Take(5)).Queries();

        Assert.Equal(ids, IdsOf(Assert.Single(queries)));
    }

    [Fact]
    public void Every_request_carries_the_conditions_the_groups_the_raw_filter_and_the_processing_date()
    {
        var processed = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var plan = new CommercialPlan(CommercialReport.Usage) { Filter = "serviceCode ne 'X'", ProcessedDateTime = processed }
            .ForCustomers(Ids(41))
            .Where(CommercialField.ProductName, ["E3", "E5"])
            .GroupOn(CommercialField.ProductName)
            .GroupOn(CommercialField.WorkloadName)
            .GroupOn(CommercialField.ProductName);

        var queries = plan.Queries();

        Assert.Equal([CommercialField.ProductName, CommercialField.WorkloadName], plan.GroupBy);
        Assert.All(queries, q =>
        {
            Assert.Equal([CommercialField.ProductName, CommercialField.WorkloadName], q.GroupBy);
            Assert.Equal(processed, q.ProcessedDateTime);
            Assert.EndsWith(" and (productName eq 'E3' or productName eq 'E5') and (serviceCode ne 'X')", q.FilterText(), StringComparison.Ordinal);
            Assert.Equal("productName,workloadName", HttpUtility.ParseQueryString(q.ToQueryString(10000))["groupby"]);
        });
        Assert.Equal($"customerTenantId eq '{Id(41).ToString("D").ToUpperInvariant()}' and (productName eq 'E3' or productName eq 'E5') and (serviceCode ne 'X')", queries[1].FilterText());
    }

    [Fact]
    public void Groups_split_across_requests_are_merged_into_one_row_each_given_once_at_the_end()
    {
        var plan = new CommercialPlan(CommercialReport.Usage).ForCustomers(Ids(81)).GroupOn(CommercialField.ProductName);
        var merger = plan.NewMerger();
        var firstE3 = Usage("E3", 1, 10, customer: null);

        var output = Output(merger,
            [firstE3, Usage("E5", 2, 20, customer: null)],
            [Usage("E3", 3, 30, customer: null)],
            [Usage("F1", 4, 40, customer: null), Usage("E3", 5, 50, customer: null)]);

        Assert.Equal(3, plan.Queries().Count);
        Assert.Equal(["E3", "E5", "F1"], output.Cast<CustomerLicenseUsage>().Select(r => r.ProductName));
        Assert.Same(firstE3, output[0]);
        Assert.Equal((9L, 90L, 81L), (firstE3.LicensesActive, firstE3.LicensesQualified, firstE3.LicensesInactive));
        Assert.Equal(output, merger.Merged);
    }

    [Fact]
    public void Rows_of_a_single_request_and_rows_per_customer_are_written_as_they_come()
    {
        var oneRequest = new CommercialPlan(CommercialReport.Usage).ForCustomers(Ids(40)).GroupOn(CommercialField.ProductName).NewMerger();
        var perCustomer = new CommercialPlan(CommercialReport.Usage).ForCustomers(Ids(81)).NewMerger();
        var row = Usage("E3", 1, 2);
        var same = Usage("E3", 1, 2);

        Assert.Same(row, oneRequest.Take(row));
        Assert.Same(same, oneRequest.Take(same));
        Assert.Same(row, perCustomer.Take(row));
        Assert.Same(same, perCustomer.Take(same));
        Assert.Empty(oneRequest.Merged);
        Assert.Empty(perCustomer.Merged);
        Assert.Equal(1, row.LicensesActive);
    }

    [Fact]
    public void An_unknown_count_leaves_the_group_s_sum_unknown_and_an_unknown_group_value_is_a_group_of_its_own()
    {
        var merger = new CommercialPlan(CommercialReport.Usage).ForCustomers(Ids(41)).GroupOn(CommercialField.ProductName).NewMerger();
        var known = Usage("E3", 1, null);
        var unknownProduct = Usage(null, 2, 3);

        var output = Output(merger,
            [known, unknownProduct, Usage("", 7, 7)],
            [Usage("E3", null, null), Usage(null, 4, 5)]);

        Assert.Equal(3, output.Count);
        Assert.Null(known.LicensesActive);
        Assert.Null(known.LicensesQualified);
        Assert.Null(known.UsagePercent);
        Assert.Equal((6L, 8L), (unknownProduct.LicensesActive!.Value, unknownProduct.LicensesQualified!.Value));
        Assert.Equal(7L, ((CustomerLicenseUsage)output[2]).LicensesActive);
    }

    [Fact]
    public void A_merged_row_computes_its_share_from_the_sums_and_keeps_the_latest_processing_date()
    {
        var merger = new CommercialPlan(CommercialReport.Usage).ForCustomers(Ids(41)).GroupOn(CommercialField.ProductName).NewMerger();
        var earlier = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
        var later = earlier.AddMonths(1);
        var total = Usage("E3", 1, 4);
        total.UsagePercent = 25;
        total.ProcessedDateTime = earlier;
        var add = Usage("E3", 3, 4);
        add.UsagePercent = 75;
        add.ProcessedDateTime = later;

        Output(merger, [total], [add, Usage("E3", 0, 0)]);

        Assert.Equal(50, total.UsagePercent);
        Assert.Equal(later, total.ProcessedDateTime);
    }

    [Fact]
    public void Deployment_rows_sum_sold_and_deployed_and_recompute_the_share()
    {
        var merger = new CommercialPlan(CommercialReport.Deployment).ForCustomers(Ids(41)).GroupOn(CommercialField.Channel).NewMerger();
        var total = new CustomerLicenseDeployment { Channel = "reseller", LicensesSold = 10, LicensesDeployed = 5, DeploymentPercent = 50 };

        Output(merger,
            [total],
            [new CustomerLicenseDeployment { Channel = "reseller", LicensesSold = 10, LicensesDeployed = 10, DeploymentPercent = 100 }]);

        Assert.Equal((20L, 15L, 5L), (total.LicensesSold!.Value, total.LicensesDeployed!.Value, total.LicensesUnassigned!.Value));
        Assert.Equal(75, total.DeploymentPercent);
    }

    [Fact]
    public void A_condition_matched_here_is_not_sent_and_leaves_out_rows_that_fail_it_or_lack_the_value()
    {
        var plan = new CommercialPlan(CommercialReport.Usage)
            .WhereMatches(CommercialField.CustomerName, name => name.StartsWith("Con", StringComparison.OrdinalIgnoreCase))
            .Where(CommercialField.Channel, ["reseller"]);
        var merger = plan.NewMerger();
        var contoso = Usage("E3", 1, 2, customer: "contoso");

        var output = Output(merger, [contoso, Usage("E3", 1, 2, customer: "Fabrikam"), Usage("E3", 1, 2, customer: null)]);

        Assert.Equal([contoso], output);
        Assert.Equal("channel eq 'reseller'", Assert.Single(plan.Queries()).FilterText());
    }

    [Fact]
    public void Conditions_matched_here_are_applied_before_groups_are_merged()
    {
        var merger = new CommercialPlan(CommercialReport.Usage).ForCustomers(Ids(41))
            .GroupOn(CommercialField.CustomerName).GroupOn(CommercialField.ProductName)
            .WhereMatches(CommercialField.CustomerName, name => name == "Contoso")
            .NewMerger();
        var total = Usage("E3", 1, 1);

        var output = Output(merger, [total, Usage("E3", 5, 5, customer: "Fabrikam")], [Usage("E3", 2, 2)]);

        Assert.Equal([total], output);
        Assert.Equal(3, total.LicensesActive);
    }

    [Fact]
    public void A_condition_matched_here_on_a_field_grouped_away_is_named_and_the_plan_refused()
    {
        var plan = new CommercialPlan(CommercialReport.Usage)
            .GroupOn(CommercialField.ProductName)
            .WhereMatches(CommercialField.CustomerName, _ => true)
            .WhereMatches(CommercialField.ProductName, _ => true);

        Assert.Equal([CommercialField.CustomerName], plan.FieldsGroupedAway);
        Assert.Throws<InvalidOperationException>(() => plan.Queries());
        Assert.Empty(plan.GroupOn(CommercialField.CustomerName).FieldsGroupedAway);
        Assert.Single(plan.Queries());
    }

    [Fact]
    public void Deployment_rows_have_no_workload_to_filter_or_group_on()
    {
        var plan = new CommercialPlan(CommercialReport.Deployment);

        Assert.Throws<ArgumentException>(() => plan.Where(CommercialField.WorkloadName, ["Exchange"]));
        Assert.Throws<ArgumentException>(() => plan.WhereMatches(CommercialField.WorkloadCode, _ => true));
        Assert.Throws<ArgumentException>(() => plan.GroupOn(CommercialField.WorkloadName));
        Assert.Throws<ArgumentException>(() => plan.Where(CommercialField.ProductName, []));
        Assert.DoesNotContain(CommercialField.WorkloadName, plan.FilterFields);
        Assert.DoesNotContain(CommercialField.WorkloadName, plan.GroupFields);
    }
}
