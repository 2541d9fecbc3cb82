using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace PartnerCenterUsage.Engine.Http;

/// <summary>A paged listing whatever its rows are, for callers that handle every listing alike.</summary>
public interface IPartnerCenterPager
{
    /// <summary>The rows read so far.</summary>
    long RowsRead { get; }

    /// <summary>The rows of the whole listing, when the service says.</summary>
    long? TotalCount { get; }

    /// <summary>The next page's rows; null after the last page.</summary>
    /// <exception cref="PartnerCenterException">A page request failed, its answer is unusable, or the paging is broken.</exception>
    Task<IReadOnlyList<object>?> NextRowsAsync(CancellationToken cancellationToken);
}
