// Generates strictly increasing RFC 19 FLUIDs for one generator id.
using Flux.Abstractions;

namespace Flux.Formats;

/// <summary>
/// Issues FLUIDs (RFC 19) for one generator id. Ids are strictly increasing for the life of the
/// generator: when the clock stalls or steps back the last timestamp is reused with the next sequence
/// number, and when 1024 ids have been issued within one millisecond the timestamp is advanced
/// logically instead of waiting for the clock. Thread safe.
/// </summary>
public sealed class FluidGenerator
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly long _epochMs;
    private ulong _timestamp;
    private uint _sequence;
    private bool _issued;

    /// <summary>
    /// Creates a generator. <paramref name="generatorId"/> must be below 2^14 (normally the broker
    /// rank); <paramref name="epochMs"/> is the generator's epoch in Unix milliseconds (normally the
    /// instance start), timestamps count from it; <paramref name="time"/> defaults to
    /// <see cref="TimeProvider.System"/>. Throws ERANGE for a generator id that does not fit.
    /// </summary>
    public FluidGenerator(uint generatorId, long epochMs, TimeProvider? time = null)
    {
        if (generatorId >= 1u << Fluid.GeneratorIdBits)
        {
            throw new FluxException(Errno.ERANGE, $"FLUID generator id {generatorId} does not fit in {Fluid.GeneratorIdBits} bits");
        }
        GeneratorId = generatorId;
        _epochMs = epochMs;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The generator id placed in every issued FLUID.</summary>
    public uint GeneratorId { get; }

    /// <summary>
    /// Returns the next FLUID, greater than every id this generator issued before. Throws
    /// <see cref="FluxException"/> (EOVERFLOW) once the 40-bit timestamp is exhausted (about 34 years).
    /// </summary>
    public ulong Next()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds() - _epochMs;
            var clock = now < 0 ? 0UL : (ulong)now;
            if (!_issued || clock > _timestamp)
            {
                _timestamp = clock;
                _sequence = 0;
            }
            else if (++_sequence >= 1u << Fluid.SequenceBits)
            {
                // 1024 ids in one millisecond (or a stalled clock): borrow the next millisecond.
                _timestamp++;
                _sequence = 0;
            }
            if (_timestamp >= 1UL << Fluid.TimestampBits)
            {
                throw new FluxException(Errno.EOVERFLOW, "FLUID timestamp space is exhausted");
            }
            _issued = true;
            return Fluid.Compose(_timestamp, GeneratorId, _sequence);
        }
    }
}
