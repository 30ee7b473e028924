using System.Diagnostics.CodeAnalysis;
using MgAuth.Domain.Requests;

namespace MgAuth.Cases;

/// <summary>Why a case or a release was not changed as asked; the API turns each kind into its answer in one place.</summary>
public enum RefusalKind
{
    NotFound,
    InvalidRequest,
    NotJson,
    NotPended,
    ClaimHeld,
    StaleVersion,
    CaseChanged,
    AlreadyFinal,
    NotFinal,
    NothingToAppeal,
    AppealWindowClosed,
    AlreadyAppealed,
    ClinicianRequired,
    NpiRequired,
    IndependentReviewerRequired,
    CannotExplain,
    ReleaseRefused,
    ActivationRefused,
    RollbackRefused,
    ImpactRefused,
    ImpactStopped,
    ImpactLimitReached,
    PersonRequired,
    WorkerQueueFull,
    WorkerJobHeld,
    UploadQuotaExceeded,

    // Refused at the door, before any case or release is touched: CDS Hooks, the body, the key, the rate, the host.
    UnknownCdsService,
    InvalidCdsRequest,
    PrefetchRequired,
    UnsupportedMediaType,
    TooLarge,
    Unauthenticated,
    Forbidden,
    MethodNotAllowed,
    TooManyFailedAuthentications,
    RateLimited,
    Unavailable,
    Internal,
    InvalidIdempotencyKey,
    IdempotencyKeyReused,
    PreconditionRequired,
}

/// <summary>A refusal: its kind, a title and a sentence for the reader, and (for a refused request or release) what was wrong, by place.</summary>
public sealed record Refusal(RefusalKind Kind, string Title, string Detail)
{
    public IReadOnlyDictionary<string, string[]> Errors { get; init; } = new Dictionary<string, string[]>();

    /// <summary>For a refusal that passes with time (a limit reached): how long until the caller may ask again.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static Refusal NotFound(string what) => new(RefusalKind.NotFound, "Not found", $"There is no {what} you can see with that id.");

    /// <summary>A request the contract rejects, every bad field named as the reader found it.</summary>
    public static Refusal Rejected(ProblemDocument problem) =>
        new(problem.Type == ProblemDocument.NotJsonType ? RefusalKind.NotJson : RefusalKind.InvalidRequest, problem.Title, problem.Detail)
        {
            Errors = problem.Errors,
        };
}

/// <summary>The value asked for, or the refusal in its place.</summary>
public readonly struct Refusable<T>
{
    private readonly T? _value;

    private Refusable(T? value, Refusal? refusal) => (_value, Refusal) = (value, refusal);

    public Refusal? Refusal { get; }

    public T Value => Refusal is null ? _value! : throw new InvalidOperationException($"refused: {Refusal.Detail}");

    public bool IsRefused([NotNullWhen(true)] out Refusal? refusal) => (refusal = Refusal) is not null;

    public static implicit operator Refusable<T>(T value) => new(value, null);

    public static implicit operator Refusable<T>(Refusal refusal) => new(default, refusal);
}
