namespace Bit1HW.Core;

/// <summary>
/// One step of a long operation, reported through <see cref="IProgress{T}"/> by the libraries
/// (Verilator builds, model files written or loaded, decoded tokens, campaign cases) so a front end
/// can show it. <see cref="Stage"/> says what is being done ("verilator: building bit1hw_top_l16..."),
/// <see cref="Fraction"/> how much of it is done (0..1, null when unknown) and <see cref="Detail"/>
/// the latest transient line, such as a tool's last line of output. Reports are advisory: a
/// library's result never depends on whether anyone listens.
/// </summary>
public sealed record ProgressUpdate(string Stage, double? Fraction = null, string? Detail = null);
