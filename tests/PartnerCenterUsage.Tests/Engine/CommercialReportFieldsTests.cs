using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>
/// The one description of the commercial rows: each field reads and clears the model property of its own name, each
/// report has the fields the API documents, and grouped rows keep only the fields grouped on.
/// </summary>
public sealed class CommercialReportFieldsTests
{
    public static TheoryData<CommercialReport, Type> Reports => new()
    {
        { CommercialReport.Usage, typeof(CustomerLicenseUsage) },
        { CommercialReport.Deployment, typeof(CustomerLicenseDeployment) },
    };

    // A row of the report's model with every field set to a value of its own.
    private static object Filled(Type model, IEnumerable<CommercialField> fields)
    {
        var row = Activator.CreateInstance(model)!;
        foreach (var field in fields)
        {
            var property = model.GetProperty(field.ToString())!;
            property.SetValue(row, property.PropertyType == typeof(Guid?) ? new Guid((int)field + 1, 0, 0, new byte[8]) : field + " value");
        }

        return row;
    }

    [Theory]
    [MemberData(nameof(Reports))]
    public void Each_field_reads_the_model_property_of_its_own_name_as_text(CommercialReport report, Type model)
    {
        var fields = CommercialReportFields.Of(report);
        var row = Filled(model, fields.Fields);

        foreach (var field in fields.Fields)
        {
            var expected = model.GetProperty(field.ToString())!.GetValue(row);
            Assert.Equal(expected is Guid id ? id.ToString("D") : expected, fields.ValueOf(row, field));
        }
    }

    [Theory]
    [MemberData(nameof(Reports))]
    public void A_grouped_row_keeps_the_fields_grouped_on_and_clears_the_others_and_a_row_per_customer_keeps_all(CommercialReport report, Type model)
    {
        var fields = CommercialReportFields.Of(report);
        foreach (var kept in fields.Groupable)
        {
            var row = Filled(model, fields.Fields);
            KeepGrouped(report, row, [kept]);

            Assert.All(fields.Fields, f => Assert.Equal(f == kept, fields.ValueOf(row, f) is not null));
        }

        var whole = Filled(model, fields.Fields);
        KeepGrouped(report, whole, null);
        KeepGrouped(report, whole, []);
        Assert.All(fields.Fields, f => Assert.NotNull(fields.ValueOf(whole, f)));
    }

    private static void KeepGrouped(CommercialReport report, object row, ICollection<CommercialField>? groupBy)
    {
        if (report == CommercialReport.Usage)
        {
            CommercialReportFields.Usage.KeepGrouped((CustomerLicenseUsage)row, groupBy);
        }
        else
        {
            CommercialReportFields.Deployment.KeepGrouped((CustomerLicenseDeployment)row, groupBy);
        }
    }

    [Fact]
    public void Usage_has_every_field_and_deployment_all_but_the_workload_each_to_filter_and_group_on()
    {
        Assert.Equal(Enum.GetValues<CommercialField>(), CommercialReportFields.Usage.Fields);
        Assert.Equal(Enum.GetValues<CommercialField>().Where(f => f is not (CommercialField.WorkloadCode or CommercialField.WorkloadName)), CommercialReportFields.Deployment.Fields);
        foreach (var report in new[] { CommercialReportFields.Usage, (CommercialReportFields)CommercialReportFields.Deployment })
        {
            Assert.Equal(report.Fields, report.Filterable);
            Assert.Equal(report.Fields, report.Groupable);
        }
    }

    [Fact]
    public void The_API_names_are_the_property_names_in_camel_case_but_the_customer_s_tenant_id()
    {
        Assert.All(Enum.GetValues<CommercialField>().Where(f => f != CommercialField.CustomerId), f =>
            Assert.Equal(char.ToLowerInvariant(f.ToString()[0]) + f.ToString()[1..], CommercialReportFields.ApiName(f)));
        Assert.Equal("customerTenantId", CommercialReportFields.ApiName(CommercialField.CustomerId));
    }

    [Fact]
    public void Wire_rows_grouped_on_a_field_keep_it_and_the_counts_and_clear_the_rest()
    {
        var wire = new PartnerCenterUsage.Engine.Json.LicenseUsageJson
        {
            CustomerTenantId = Guid.NewGuid(), CustomerName = "Contoso", ProductName = "E3", WorkloadName = "Exchange", Channel = "reseller",
            LicensesActive = 3, LicensesQualified = 4,
        };

        var grouped = wire.ToModel([CommercialField.WorkloadName]);
        var perCustomer = wire.ToModel(null);

        Assert.Equal((null, null, null, "Exchange", null, 3L, 4L), (grouped.CustomerId, grouped.CustomerName, grouped.ProductName, grouped.WorkloadName, grouped.Channel, grouped.LicensesActive, grouped.LicensesQualified));
        Assert.Equal((wire.CustomerTenantId, "Contoso", "E3", "Exchange", "reseller"), (perCustomer.CustomerId, perCustomer.CustomerName, perCustomer.ProductName, perCustomer.WorkloadName, perCustomer.Channel));
    }
}
