using MgAuth.Domain.Requests;

namespace MgAuth.Cli;

/// <summary>The request files a command is given: a path, or - for standard input.</summary>
public static class RequestFiles
{
    public static async Task<byte[]?> ReadAsync(string file, TextReader stdin)
    {
        if (file == "-") return System.Text.Encoding.UTF8.GetBytes(await stdin.ReadToEndAsync());
        try { return await File.ReadAllBytesAsync(file); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    public static ProblemDocument Unreadable(string file) => new(
        "https://mgauth.dev/problems/unreadable-file", "The file cannot be read", 400,
        $"{file} does not exist or cannot be read.",
        new Dictionary<string, string[]> { [ProblemDocument.RootPath] = [$"cannot read {file}"] });
}
