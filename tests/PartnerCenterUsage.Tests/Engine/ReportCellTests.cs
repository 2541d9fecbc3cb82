using PartnerCenterUsage.Engine.Reports.Model;

namespace PartnerCenterUsage.Tests.Engine;

public sealed class ReportCellTests
{
    [Fact]
    public void A_cell_holds_text_a_value_or_a_date_and_unknown_stays_unknown()
    {
        Assert.Equal((ReportCellKind.Text, "Contoso"), (ReportCell.OfText("Contoso").Kind, ReportCell.OfText("Contoso").Text));
        Assert.Null(ReportCell.OfText(null).Text);
        Assert.Equal(ReportValue.Count(7), ReportCell.OfValue(ReportValue.Count(7)).Value);
        Assert.Null(ReportCell.OfValue(ReportValue.Count(null)).Value.Current);
        Assert.Equal(ReportCellKind.Date, ReportCell.OfDate(null).Kind);
        Assert.Null(ReportCell.OfDate(null).Date);
    }

    [Fact]
    public void A_date_comes_back_as_it_was_given_offset_included()
    {
        var date = new DateTimeOffset(2026, 11, 1, 8, 30, 15, TimeSpan.FromHours(2)).AddTicks(7);

        var back = ReportCell.OfDate(date).Date!.Value;

        Assert.Equal(date, back);
        Assert.Equal(date.Offset, back.Offset);
        Assert.Equal(date.DateTime, back.DateTime);
    }

    [Fact]
    public void Cells_are_equal_when_they_hold_the_same()
    {
        var date = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(ReportCell.OfDate(date), ReportCell.OfDate(date));
        Assert.NotEqual(ReportCell.OfDate(date), ReportCell.OfDate(date.ToOffset(TimeSpan.FromHours(1))));
        Assert.NotEqual(ReportCell.OfDate(null), ReportCell.OfDate(DateTimeOffset.MinValue));
        Assert.True(ReportCell.OfText("a") != ReportCell.OfText("A"));
        Assert.Equal(ReportCell.OfText("a").GetHashCode(), ReportCell.OfText("a").GetHashCode());
    }
}
