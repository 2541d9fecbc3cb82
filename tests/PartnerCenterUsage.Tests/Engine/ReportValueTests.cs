using PartnerCenterUsage.Engine.Reports.Model;

namespace PartnerCenterUsage.Tests.Engine;

public sealed class ReportValueTests
{
    [Fact]
    public void A_value_without_a_baseline_has_no_change()
    {
        var value = ReportValue.Count(12);

        Assert.Equal(12, value.Current);
        Assert.False(value.HasBaseline);
        Assert.Null(value.Baseline);
        Assert.Null(value.Change);
        Assert.Equal(ReportValueKind.Count, value.Kind);
    }

    [Fact]
    public void The_change_is_known_minus_known()
    {
        Assert.Equal(-30, ReportValue.Count(70, 100).Change);
        Assert.Equal(25, ReportValue.Count(25, 0).Change);
        Assert.Equal(0, ReportValue.Count(0, 0).Change);
        Assert.Equal(-12.5, ReportValue.Percent(50.0, 62.5).Change);
        Assert.Equal(ReportValueKind.Percent, ReportValue.Percent(50.0, 62.5).Kind);
    }

    [Fact]
    public void Unknown_stays_unknown_now_then_and_in_the_change_never_0()
    {
        var unknownNow = ReportValue.Count(null, 100);
        var unknownThen = ReportValue.Count(100, null);
        var neither = ReportValue.Percent(null, null);

        Assert.Null(unknownNow.Current);
        Assert.Equal(100, unknownNow.Baseline);
        Assert.Null(unknownNow.Change);
        Assert.True(unknownThen.HasBaseline);
        Assert.Null(unknownThen.Baseline);
        Assert.Null(unknownThen.Change);
        Assert.Null(neither.Current);
        Assert.Null(neither.Change);
        Assert.Null(ReportValue.Count(null).Current);
    }

    [Fact]
    public void Not_a_number_is_no_known_value()
    {
        Assert.Null(ReportValue.Percent(double.NaN).Current);
        Assert.Null(ReportValue.Percent(50.0, double.NaN).Change);
    }

    [Fact]
    public void Counts_are_exact_far_beyond_any_license_count()
    {
        const long large = (1L << 53) - 1;

        Assert.Equal(large, (long)ReportValue.Count(large).Current!.Value);
        Assert.Equal(1, ReportValue.Count(large, large - 1).Change);
    }

    [Fact]
    public void Values_are_equal_when_kind_values_and_baseline_are()
    {
        Assert.Equal(ReportValue.Count(5), ReportValue.Count(5));
        Assert.True(ReportValue.Count(5, 3) == ReportValue.Count(5, 3));
        Assert.NotEqual(ReportValue.Count(5), ReportValue.Percent(5));
        Assert.NotEqual(ReportValue.Count(5), ReportValue.Count(5, null));
        Assert.True(ReportValue.Count(5) != ReportValue.Count(null));
        Assert.Equal(ReportValue.Count(5, 3).GetHashCode(), ReportValue.Count(5, 3).GetHashCode());
    }
}
