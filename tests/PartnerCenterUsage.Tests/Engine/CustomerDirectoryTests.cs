using PartnerCenterUsage.Engine.Http;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>The customers a connection has seen, for completion: one writer rule, Partner Center's record first.</summary>
public sealed class CustomerDirectoryTests
{
    private static readonly Guid Id = Guid.Parse("0a1b2c3d-0000-4000-8000-000000000001");

    private static string? NameOf(CustomerDirectory directory) => Assert.Single(directory.Known).CompanyName;

    [Fact]
    public void A_record_replaces_what_a_row_said()
    {
        var directory = new CustomerDirectory();
        directory.Note(Id, "Contoso (from a row)");

        directory.Note(new PartnerCustomer { CustomerId = Id, CompanyName = "Contoso Ltd", Domain = "contoso.example" });

        Assert.Equal("Contoso Ltd", NameOf(directory));
        Assert.Equal("contoso.example", directory.Known.Single().Domain);
    }

    [Fact]
    public void A_row_never_overwrites_a_record_not_even_with_a_name_where_the_record_has_none()
    {
        var directory = new CustomerDirectory();
        directory.Note(new PartnerCustomer { CustomerId = Id, CompanyName = null });

        directory.Note(Id, "Contoso (from a row)");

        Assert.Null(NameOf(directory));
    }

    [Fact]
    public void A_row_s_name_fills_in_a_customer_known_by_id_alone_and_no_later_row_changes_it()
    {
        var directory = new CustomerDirectory();
        directory.Note(Id, null);
        directory.Note(Id, "Contoso");
        directory.Note(Id, "Fabrikam");
        directory.Note(Id, null);

        Assert.Equal("Contoso", NameOf(directory));
    }

    [Fact]
    public void Nothing_without_an_id_is_kept()
    {
        var directory = new CustomerDirectory();
        directory.Note(null, "Contoso");
        directory.Note(new PartnerCustomer { CompanyName = "Fabrikam" });

        Assert.Empty(directory.Known);
    }
}
