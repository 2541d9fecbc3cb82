using PartnerCenterUsage.Engine.Http;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>What makes two rows of a listing the same row, for the pager to leave the copy out.</summary>
public sealed class RowEqualityTests
{
    private static CustomerLicenseUsage Row() => new()
    {
        CustomerId = Guid.Parse("0c3b3a24-2f1b-4e0e-9d0e-6a2f0bd7a001"),
        CustomerName = "Contoso",
        ProductId = "prod-1",
        ProductName = "Suite",
        ServiceCode = "o365",
        WorkloadCode = "EXO",
        WorkloadName = "Exchange",
        Channel = "reseller",
        LicensesActive = 10,
        LicensesQualified = 20,
        ProcessedDateTime = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero),
    };

    [Fact]
    public void Two_rows_with_every_field_the_same_are_the_same_row_and_hash_alike()
    {
        var comparer = RowEquality<CustomerLicenseUsage>.Instance;
        var (a, b) = (Row(), Row());

        Assert.True(comparer.Equals(a, b));
        Assert.Equal(comparer.GetHashCode(a), comparer.GetHashCode(b));
    }

    public static TheoryData<string> Changes => ["CustomerId", "CustomerName", "ProductId", "ServiceCode", "WorkloadName", "Channel", "LicensesActive", "LicensesQualified", "ProcessedDateTime", "UsagePercent"];

    [Theory]
    [MemberData(nameof(Changes))]
    public void A_row_that_differs_in_any_one_field_is_another_row(string field)
    {
        var other = Row();
        switch (field)
        {
            case "CustomerId": other.CustomerId = null; break;
            case "CustomerName": other.CustomerName = "contoso"; break;
            case "ProductId": other.ProductId = "prod-2"; break;
            case "ServiceCode": other.ServiceCode = null; break;
            case "WorkloadName": other.WorkloadName = "SharePoint"; break;
            case "Channel": other.Channel = "direct"; break;
            case "LicensesActive": other.LicensesActive = null; break;
            case "LicensesQualified": other.LicensesQualified = 21; break;
            case "ProcessedDateTime": other.ProcessedDateTime = other.ProcessedDateTime!.Value.AddMinutes(1); break;
            case "UsagePercent": other.UsagePercent = 49.5; break;
        }

        Assert.False(RowEquality<CustomerLicenseUsage>.Instance.Equals(Row(), other));
    }

    [Fact]
    public void The_same_moment_written_at_another_offset_is_the_same_date()
    {
        var other = Row();
        other.ProcessedDateTime = other.ProcessedDateTime!.Value.ToOffset(TimeSpan.FromHours(2));

        Assert.True(RowEquality<CustomerLicenseUsage>.Instance.Equals(Row(), other));
    }

    [Fact]
    public void Every_row_type_a_pager_reads_can_be_compared()
    {
        Assert.True(RowEquality<PartnerCustomer>.Instance.Equals(new PartnerCustomer { CompanyName = "A" }, new PartnerCustomer { CompanyName = "A" }));
        Assert.True(RowEquality<CustomerLicenseDeployment>.Instance.Equals(new CustomerLicenseDeployment { LicensesSold = 1 }, new CustomerLicenseDeployment { LicensesSold = 1 }));
        Assert.True(RowEquality<PartnerLicenseUsage>.Instance.Equals(new PartnerLicenseUsage { WorkloadName = "Exchange" }, new PartnerLicenseUsage { WorkloadName = "Exchange" }));
        Assert.False(RowEquality<PartnerLicenseDeployment>.Instance.Equals(new PartnerLicenseDeployment { LicensesSold = 1 }, new PartnerLicenseDeployment { LicensesSold = 2 }));
    }
}
