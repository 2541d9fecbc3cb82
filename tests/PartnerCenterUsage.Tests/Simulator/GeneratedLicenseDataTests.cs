using System.Text.RegularExpressions;
using PartnerCenterUsage.Simulator;

namespace PartnerCenterUsage.Tests.Simulator;

/// <summary>The generated deployment and subscribed SKUs: derived from the usage rows, stable from run to run.</summary>
public sealed partial class GeneratedLicenseDataTests
{
    private static readonly SimulatorData Data = new(200, 20170309);

    [GeneratedRegex("^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$")]
    private static partial Regex ProductIdForm();

    [Fact]
    public void Every_product_has_one_id_an_upper_case_Entra_sku_guid_the_seed_customers_too()
    {
        var ids = Data.UsageRows.Select(r => r.Row).GroupBy(u => u.ProductName).ToDictionary(g => g.Key, g => g.Select(u => u.ProductId).Distinct().ToList());

        Assert.All(ids.Values, productIds => Assert.Matches(ProductIdForm(), Assert.Single(productIds)));
        Assert.Equal(ids.Count, ids.Values.Select(v => v[0]).Distinct().Count());
        Assert.All(Data.Find(SimulatorOptions.SeedCustomerId)!.Usage, u => Assert.Matches(ProductIdForm(), u.ProductId));
    }

    [Fact]
    public void Product_ids_do_not_depend_on_the_seed()
    {
        var other = new SimulatorData(200, 7);

        var byName = Data.UsageRows.ToLookup(r => r.Row.ProductName, r => r.Row.ProductId);
        Assert.All(other.UsageRows, r => Assert.Equal(byName[r.Row.ProductName].First(), r.Row.ProductId));
    }

    [Fact]
    public void The_same_seed_gives_the_same_deployment_and_skus()
    {
        var again = new SimulatorData(200, 20170309);

        Assert.Equal(Data.DeploymentRows.Select(r => r.Row), again.DeploymentRows.Select(r => r.Row));
        Assert.Equal(
            Data.Customers.SelectMany(c => c.SubscribedSkus).Select(s => (s.SkuId, s.TotalUnits, s.ConsumedUnits)),
            again.Customers.SelectMany(c => c.SubscribedSkus).Select(s => (s.SkuId, s.TotalUnits, s.ConsumedUnits)));
    }

    [Fact]
    public void Deployment_has_a_row_per_product_with_the_products_qualified_licenses_deployed()
    {
        Assert.All(Data.Customers, customer =>
        {
            var products = customer.Usage.GroupBy(u => u.ProductName).ToList();
            Assert.Equal(products.Select(p => p.Key), customer.Deployment.Select(d => d.ProductName));
            foreach (var (product, row) in products.Zip(customer.Deployment))
            {
                var usage = Assert.Single(product.Select(u => (u.ProductId, u.LicensesQualified, u.ServiceCode, u.ServiceName, u.Channel, u.ProcessedDateTime)).Distinct());
                Assert.Equal(usage, (row.ProductId, row.LicensesDeployed, row.ServiceCode, row.ServiceName, row.Channel, row.ProcessedDateTime));
                Assert.Equal(Math.Round(100.0 * row.LicensesDeployed / row.LicensesSold, 2), row.DeploymentPercent);
            }
        });
    }

    [Fact]
    public void Sold_is_deployed_plus_up_to_half_more_and_about_a_quarter_sold_no_more()
    {
        var rows = Data.DeploymentRows.Select(r => r.Row).ToList();

        Assert.All(rows, r => Assert.InRange(r.LicensesSold - r.LicensesDeployed, 0, r.LicensesDeployed / 2));
        var exact = rows.Count(r => r.LicensesSold == r.LicensesDeployed) / (double)rows.Count;
        Assert.InRange(exact, 0.15, 0.4);
        Assert.Contains(rows, r => r.LicensesSold > r.LicensesDeployed);
    }

    [Fact]
    public void Each_deployment_row_has_a_Group1_sku_with_sold_units_of_which_the_deployed_are_consumed()
    {
        Assert.All(Data.Customers, customer =>
        {
            var group1 = customer.SubscribedSkus.Where(s => s.LicenseGroupId == "Group1").ToList();
            Assert.Equal(customer.Deployment.Select(d => d.ProductName), group1.Select(s => s.ProductName));
            foreach (var (row, sku) in customer.Deployment.Zip(group1))
            {
                Assert.Equal(row.LicensesSold, sku.TotalUnits);
                Assert.Equal(row.LicensesDeployed, sku.ConsumedUnits);
                Assert.Equal(sku.TotalUnits - sku.ConsumedUnits, sku.AvailableUnits);
                Assert.Equal(sku.TotalUnits, sku.ActiveUnits);
                Assert.Equal((0L, 0L, "Enabled", "User"), (sku.SuspendedUnits, sku.WarningUnits, sku.CapabilityStatus, sku.TargetType));
                Assert.Equal(customer.Usage.Where(u => u.ProductName == row.ProductName).Select(u => u.WorkloadName), sku.ServicePlans.Select(p => p.DisplayName));
                Assert.All(sku.ServicePlans, p => Assert.Equal(("Success", "User"), (p.CapabilityStatus, p.TargetType)));
            }
        });
    }

    [Fact]
    public void Office_365_E3_is_Microsofts_Entra_sku_in_the_analytics_and_in_subscribed_skus()
    {
        Assert.All(Data.UsageRows.Where(r => r.Row.ProductName == "OFFICE 365 E3"), r => Assert.Equal("6FD2C87F-B296-42F0-B197-1E91E994B900", r.Row.ProductId));
        var sku = Data.Customers.SelectMany(c => c.SubscribedSkus).First(s => s.ProductName == "OFFICE 365 E3");
        Assert.Equal(("ENTERPRISEPACK", Guid.Parse("6fd2c87f-b296-42f0-b197-1e91e994b900")), (sku.SkuPartNumber, sku.SkuId));
    }

    [Fact]
    public void A_products_sku_id_is_the_same_in_every_tenant_and_equals_its_analytics_product_id()
    {
        var skus = Data.Customers.SelectMany(c => c.SubscribedSkus).ToList();

        Assert.All(skus.GroupBy(s => s.ProductName), product => Assert.Single(product.Select(s => s.SkuId).Distinct()));
        Assert.Equal(skus.Select(s => s.ProductName).Distinct().Count(), skus.Select(s => s.SkuId).Distinct().Count());
        Assert.All(Data.Customers, customer => Assert.Equal(
            customer.Deployment.Select(d => Guid.Parse(d.ProductId)),
            customer.SubscribedSkus.Where(s => s.LicenseGroupId == "Group1").Select(s => s.SkuId)));
    }

    [Fact]
    public void Service_plan_ids_are_the_same_in_every_tenant()
    {
        var skus = Data.Customers.SelectMany(c => c.SubscribedSkus).ToList();

        Assert.All(skus.SelectMany(s => s.ServicePlans).GroupBy(p => p.ServiceName), plans => Assert.Single(plans.Select(p => p.Id).Distinct()));
    }

    [Fact]
    public void Every_fifth_generated_customer_with_licenses_also_has_a_Group2_sku()
    {
        var withGroup2 = Data.Customers.Select((c, i) => (c, i)).Where(x => x.c.SubscribedSkus.Any(s => s.LicenseGroupId == "Group2")).ToList();

        Assert.Equal(Enumerable.Range(1, 200).Where(i => i % 5 == 0 && i % 10 != 0), withGroup2.Select(x => x.i));
        Assert.All(withGroup2, x =>
        {
            var sku = Assert.Single(x.c.SubscribedSkus, s => s.LicenseGroupId == "Group2");
            Assert.InRange(sku.ConsumedUnits, 0, sku.TotalUnits);
            Assert.DoesNotContain(x.c.Deployment, d => d.ProductName == sku.ProductName);
        });
    }

    [Fact]
    public void Customers_without_usage_have_no_deployment_and_no_skus()
    {
        var empty = Data.Customers.Where(c => c.Usage.Count == 0).ToList();

        Assert.Equal(20, empty.Count);
        Assert.All(empty, c => Assert.Empty(c.Deployment));
        Assert.All(empty, c => Assert.Empty(c.SubscribedSkus));
    }

    [Fact]
    public void The_helpers_list_every_customers_rows_in_customer_order()
    {
        Assert.Equal(Data.Customers.SelectMany(c => c.Usage), Data.UsageRows.Select(r => r.Row));
        Assert.Equal(Data.Customers.SelectMany(c => c.Usage.Select(_ => c.Id)), Data.UsageRows.Select(r => r.Customer.Id));
        Assert.Equal(Data.Customers.SelectMany(c => c.Deployment), Data.DeploymentRows.Select(r => r.Row));
        Assert.Equal(Data.Customers.SelectMany(c => c.Deployment.Select(_ => c.Id)), Data.DeploymentRows.Select(r => r.Customer.Id));
    }
}
