package org.containerlimits.core;



import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * An exact amount of CPU time a container may use, in one of the two forms the Docker daemon
 * accepts: an amount of cores (Docker's {@code NanoCpus}, the CLI's {@code --cpus}) or a CFS quota
 * per period (Docker's {@code CpuQuota} and {@code CpuPeriod}, the origin's {@code cpu_quota 250000}
 * over {@code cpu_period 100000}).
 *
 * <p>Amounts are held in nano-CPUs (1 core = 10<sup>9</sup>) and quotas in whole microseconds, so
 * every value the user writes is exact; no floating point is used anywhere. The form the user gave is
 * preserved: {@code 2.5} and {@code 250000us/100000us} grant the same CPU, {@link #compareTo} says so,
 * but they are not {@link #equals equal}, because the daemon stores, reports and applies them
 * differently.
 *
 * <h2>Grammar of {@link #parse(CharSequence)}</h2>
 * <pre>
 *   limit   = cores | percent | milli | quota
 *   cores   = number                     cores, at most 9 decimals    2.5
 *   percent = number "%"                 percent of one core          250%
 *   milli   = number "m"                 millicores                   2500m
 *   quota   = digits "us/" digits "us"   CFS quota / period, in us    250000us/100000us
 *   number  = digits ["." digits]
 * </pre>
 * <table class="striped">
 *   <caption>Examples</caption>
 *   <thead><tr><th>text</th><th>nano-CPUs</th><th>{@code toString()}</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@code 2.5}, {@code 250%}, {@code 2500m}</td><td>2500000000</td><td>{@code 2.5}</td></tr>
 *   <tr><td>{@code 0.29}</td><td>290000000</td><td>{@code 0.29}</td></tr>
 *   <tr><td>{@code 2.01}</td><td>2010000000</td><td>{@code 2.01}</td></tr>
 *   <tr><td>{@code 250000us/100000us}</td><td>2500000000</td><td>{@code 250000us/100000us}</td></tr>
 *   </tbody>
 * </table>
 * A value finer than one nano-CPU ({@code 0.0000000001}) is refused, as the docker CLI refuses it
 * ("value is too precise"), rather than rounded.
 *
 * <h2>Bounds (the Docker daemon's and the kernel's)</h2>
 * <ul>
 *   <li>Period: 1000 to 1000000 us (moby {@code verifyPlatformContainerResources}: "CPU cfs period
 *       can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)").</li>
 *   <li>Quota: at least 1000 us (same function: "CPU cfs quota can not be less than 1ms").</li>
 *   <li>Cores: at least 0.01. The daemon turns nano-CPUs into a quota over a 100000 us period, so
 *       0.01 core is a 1000 us quota, the kernel's minimum; the daemon's own message names 0.01 as
 *       the bottom of its range.</li>
 * </ul>
 * The upper bound depends on the host and is checked by limits-docker's preflight.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class CpuLimit implements Comparable<CpuLimit>, Serializable {
    private static final long serialVersionUID = 1L;

    /** Nano-CPUs in one core. */
    public static final long NANOS_PER_CORE = 1_000_000_000L;
    /** The smallest CFS period the daemon accepts, in microseconds (1 ms). */
    public static final long MIN_PERIOD_MICROS = 1_000L;
    /** The largest CFS period the daemon accepts, in microseconds (1 s). */
    public static final long MAX_PERIOD_MICROS = 1_000_000L;
    /** The smallest CFS quota the kernel accepts, in microseconds (1 ms). */
    public static final long MIN_QUOTA_MICROS = 1_000L;
    /** The kernel's default CFS period, which the daemon also uses for nano-CPUs, in microseconds. */
    public static final long DEFAULT_PERIOD_MICROS = 100_000L;
    /** The smallest amount in nano-CPUs: 0.01 core, a 1000 us quota per 100000 us period. */
    public static final long MIN_NANO_CPUS = NANOS_PER_CORE * MIN_QUOTA_MICROS / DEFAULT_PERIOD_MICROS;

    private static final BigDecimal NANOS = BigDecimal.valueOf(NANOS_PER_CORE);

    private final long nanoCpus;
    /** The CFS quota in microseconds, or 0 in the nano-CPUs form. */
    private final long quotaMicros;
    /** The CFS period in microseconds, or 0 in the nano-CPUs form. */
    private final long periodMicros;

    private CpuLimit(long nanoCpus, long quotaMicros, long periodMicros) {
        this.nanoCpus = nanoCpus;
        this.quotaMicros = quotaMicros;
        this.periodMicros = periodMicros;
    }

    /**
     * Returns a limit of the given nano-CPUs (Docker's {@code NanoCpus}).
     *
     * @param nanoCpus the amount, 1 core = 1000000000; at least {@link #MIN_NANO_CPUS}
     * @return the limit, in the nano-CPUs form
     * @throws InvalidLimitsException if below 0.01 core
     */
    public static CpuLimit ofNanoCpus(long nanoCpus) {
        if (nanoCpus < MIN_NANO_CPUS) {
            throw InvalidLimitsException.of("nano_cpus", Long.toString(nanoCpus), minimumRule());
        }
        return new CpuLimit(nanoCpus, 0, 0);
    }

    /**
     * Returns a limit of the given cores, exactly.
     *
     * <pre>{@code
     * CpuLimit.ofCores(new BigDecimal("2.5")).toNanoCpus();   // 2500000000
     * }</pre>
     *
     * @param cores the cores, at most 9 decimals, at least 0.01
     * @return the limit, in the nano-CPUs form
     * @throws InvalidLimitsException if finer than one nano-CPU, below 0.01 or too large
     */
    public static CpuLimit ofCores(BigDecimal cores) {
        BigDecimal nanos = cores.multiply(NANOS);
        // Only a positive scale can hide a fraction; stripTrailingZeros() of 1E+2147483647 would
        // overflow the scale and throw ArithmeticException.
        if (nanos.scale() > 0 && nanos.signum() != 0 && nanos.stripTrailingZeros().scale() > 0) {
            throw InvalidLimitsException.of("nano_cpus", Texts.decimal(cores),
                    "is too precise: at most 9 decimal places (one nano-CPU)");
        }
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw InvalidLimitsException.of("nano_cpus", Texts.decimal(cores),
                    "must be at most " + Long.MAX_VALUE + " nano-CPUs");
        }
        if (nanos.compareTo(BigDecimal.valueOf(MIN_NANO_CPUS)) < 0) {
            throw InvalidLimitsException.of("nano_cpus", Texts.decimal(cores), minimumRule());
        }
        return new CpuLimit(nanos.longValueExact(), 0, 0);
    }

    /**
     * Returns a limit of the given whole cores.
     *
     * @param cores the cores, at least 1
     * @return the limit, in the nano-CPUs form
     * @throws InvalidLimitsException if below 1 or too large
     */
    public static CpuLimit ofCores(long cores) {
        return ofCores(BigDecimal.valueOf(cores));
    }

    /**
     * Returns a limit of the given millicores (Kubernetes' {@code 2500m}).
     *
     * @param millicores the amount, 1 core = 1000; at least 10
     * @return the limit, in the nano-CPUs form
     * @throws InvalidLimitsException if below 0.01 core or too large
     */
    public static CpuLimit ofMillicores(long millicores) {
        return ofCores(BigDecimal.valueOf(millicores, 3));
    }

    /**
     * Returns a limit of a CFS quota per period, the origin's {@code cpu_quota}/{@code cpu_period}.
     *
     * <pre>{@code
     * CpuLimit.ofQuota(250_000, 100_000).cores();   // 2.5
     * }</pre>
     *
     * @param quotaMicros microseconds of CPU time per period, at least 1000
     * @param periodMicros the period in microseconds, 1000 to 1000000
     * @return the limit, in the quota form
     * @throws InvalidLimitsException naming every bound broken
     */
    public static CpuLimit ofQuota(long quotaMicros, long periodMicros) {
        List<Violation> violations = new ArrayList<>(2);
        checkQuota(quotaMicros, violations);
        checkPeriod(periodMicros, violations);
        if (!violations.isEmpty()) {
            throw new InvalidLimitsException(violations);
        }
        long nanos = BigInteger.valueOf(quotaMicros).multiply(BigInteger.valueOf(NANOS_PER_CORE))
                .divide(BigInteger.valueOf(periodMicros)).min(BigInteger.valueOf(Long.MAX_VALUE)).longValueExact();
        return new CpuLimit(nanos, quotaMicros, periodMicros);
    }

    static void checkQuota(long quotaMicros, List<Violation> violations) {
        if (quotaMicros < MIN_QUOTA_MICROS) {
            violations.add(new Violation("cpu_quota", Long.toString(quotaMicros),
                    "must be at least 1000 us (1 ms), the kernel's minimum CFS quota"));
        }
    }

    static void checkPeriod(long periodMicros, List<Violation> violations) {
        if (periodMicros < MIN_PERIOD_MICROS || periodMicros > MAX_PERIOD_MICROS) {
            violations.add(new Violation("cpu_period", Long.toString(periodMicros),
                    "must be between 1000 us (1 ms) and 1000000 us (1 s), the Docker daemon's range"));
        }
    }

    private static String minimumRule() {
        return "must be at least 0.01 core (10000000 nano-CPUs): the daemon applies nano-CPUs as a quota"
                + " per 100000 us period, and the kernel refuses quotas under 1000 us";
    }

    /**
     * Parses a CPU limit; see the class description for the grammar.
     *
     * <pre>{@code
     * CpuLimit.parse("2.5");                 // 2.5 cores
     * CpuLimit.parse("250%");                // 2.5 cores, as the origin document speaks
     * CpuLimit.parse("2500m");               // 2.5 cores, as Kubernetes speaks
     * CpuLimit.parse("250000us/100000us");   // quota 250000 us per 100000 us period
     * }</pre>
     *
     * @param text the text
     * @return the limit
     * @throws LimitParseException if the text does not follow the grammar or is finer than one
     *     nano-CPU
     * @throws InvalidLimitsException if it parses but is out of bounds (below 0.01 core, a period
     *     outside 1000..1000000 us, a quota under 1000 us)
     */
    public static CpuLimit parse(CharSequence text) {
        TextCursor in = new TextCursor("cpu limit", text);
        int start = in.position();
        BigDecimal number = in.decimal();
        int scale = 0;
        String form;
        if (in.atEnd()) {
            scale = 9;
            form = "cores";
        } else if (in.tryConsume('%')) {
            scale = 7;
            form = "percent";
        } else if (in.peek() == 'm' && in.position() + 1 == in.text().length()) {
            in.advance();
            scale = 6;
            form = "millicores";
        } else if (in.tryConsumeIgnoreCase("us/")) {
            if (number.scale() > 0) {
                throw in.failAt(in.text().indexOf('.'), "'us/' after a whole number of microseconds");
            }
            long period = in.integer(Long.MAX_VALUE, "a period of at most " + Long.MAX_VALUE + " us");
            if (!in.tryConsumeIgnoreCase("us")) {
                throw in.fail("'us'");
            }
            in.expectEnd();
            if (number.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                throw in.failAt(start, "a quota of at most " + Long.MAX_VALUE + " us");
            }
            return ofQuota(number.longValueExact(), period);
        } else {
            throw in.fail("'%', 'm', 'us/' or the end");
        }
        in.expectEnd();
        if (number.stripTrailingZeros().scale() > scale) {
            int dot = in.text().indexOf('.');
            throw in.failAt(dot + 1 + scale, "at most " + scale + " decimal places for " + form
                    + " (the precision of one nano-CPU)");
        }
        // scale is both the most decimals the form allows and its nano-CPUs as a power of ten:
        // 1 core = 10^9, 1% = 10^7, 1m = 10^6 nano-CPUs.
        BigDecimal nanos = number.movePointRight(scale);
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw in.failAt(start, "at most " + Long.MAX_VALUE + " nano-CPUs");
        }
        long n = nanos.longValueExact();
        if (n < MIN_NANO_CPUS) {
            throw InvalidLimitsException.of("nano_cpus", in.text(), minimumRule());
        }
        return new CpuLimit(n, 0, 0);
    }

    /**
     * Returns whether this limit is in the quota form (made by {@link #ofQuota} or parsed from
     * {@code Qus/Pus}), which Docker applies as {@code CpuQuota} and {@code CpuPeriod} rather than
     * {@code NanoCpus}.
     *
     * @return {@code true} in the quota form
     */
    public boolean isQuotaForm() {
        return periodMicros != 0;
    }

    /**
     * Returns the CFS quota as given, in the quota form only.
     *
     * @return the quota in microseconds, or empty in the nano-CPUs form
     */
    public OptionalLong cfsQuotaMicros() {
        return isQuotaForm() ? OptionalLong.of(quotaMicros) : OptionalLong.empty();
    }

    /**
     * Returns the CFS period as given, in the quota form only.
     *
     * @return the period in microseconds, or empty in the nano-CPUs form
     */
    public OptionalLong cfsPeriodMicros() {
        return isQuotaForm() ? OptionalLong.of(periodMicros) : OptionalLong.empty();
    }

    /**
     * Returns the amount in nano-CPUs. Exact in the nano-CPUs form; in the quota form,
     * {@code quota * 10^9 / period} rounded down (exact whenever the ratio has at most 9 decimals,
     * which covers every period that divides 10<sup>9</sup>, the default 100000 us among them).
     * A quota worth more than {@link Long#MAX_VALUE} nano-CPUs (over nine billion cores, beyond any
     * host) saturates at {@code Long.MAX_VALUE}; {@link #compareTo} and {@link #equals} stay exact.
     *
     * @return the nano-CPUs, 1 core = 1000000000
     */
    public long toNanoCpus() {
        return nanoCpus;
    }

    /**
     * Returns the amount in cores: {@link #toNanoCpus()} / 10<sup>9</sup>, without trailing zeros.
     *
     * @return the cores, such as {@code 2.5}
     */
    public BigDecimal cores() {
        return BigDecimal.valueOf(nanoCpus, 9).stripTrailingZeros();
    }

    /**
     * Returns the amount as a percent of one core, the unit {@code top} and {@code docker stats}
     * use ({@code 250} for 2.5 cores).
     *
     * @return the percent, without trailing zeros
     */
    public BigDecimal percentOfOneCore() {
        return BigDecimal.valueOf(nanoCpus, 7).stripTrailingZeros();
    }

    /**
     * Returns the CFS quota that grants this amount over the given period.
     *
     * <p>Rounding rule: rounded <em>down</em> to whole microseconds, so that the quota never grants
     * more CPU than the limit says; this is also what the Docker daemon does when it turns
     * {@code NanoCpus} into a quota. In the quota form with the same period, the quota as given.
     * For example 0.29 cores over 100000 us is exactly 29000 us (DockerSpawner's floating point
     * makes it 28999).
     *
     * @param periodMicros the period in microseconds, 1000 to 1000000
     * @return the quota in microseconds
     * @throws InvalidLimitsException if the period is out of range or the resulting quota is below
     *     the kernel's 1000 us minimum
     */
    public long quotaMicros(long periodMicros) {
        List<Violation> violations = new ArrayList<>(1);
        checkPeriod(periodMicros, violations);
        if (!violations.isEmpty()) {
            throw new InvalidLimitsException(violations);
        }
        BigInteger quota = isQuotaForm()
                ? BigInteger.valueOf(quotaMicros).multiply(BigInteger.valueOf(periodMicros))
                        .divide(BigInteger.valueOf(this.periodMicros))
                : BigInteger.valueOf(nanoCpus).multiply(BigInteger.valueOf(periodMicros))
                        .divide(BigInteger.valueOf(NANOS_PER_CORE));
        if (quota.compareTo(BigInteger.valueOf(MIN_QUOTA_MICROS)) < 0) {
            throw InvalidLimitsException.of("cpu_quota", quota + " (" + this + " over " + periodMicros + " us)",
                    "must be at least 1000 us (1 ms), the kernel's minimum CFS quota; use a longer period");
        }
        return quota.min(BigInteger.valueOf(Long.MAX_VALUE)).longValueExact();
    }

    /**
     * Compares the amounts of CPU exactly, whatever the form: {@code 2.5} and
     * {@code 250000us/100000us} compare as equal. This ordering is inconsistent with
     * {@link #equals(Object)}, which also compares the form.
     *
     * @param other the other limit
     * @return negative, zero or positive as this limit grants less, the same or more CPU
     */
    @Override
    public int compareTo(CpuLimit other) {
        return numerator().multiply(other.denominator()).compareTo(other.numerator().multiply(denominator()));
    }

    private BigInteger numerator() {
        return BigInteger.valueOf(isQuotaForm() ? quotaMicros : nanoCpus);
    }

    private BigInteger denominator() {
        return BigInteger.valueOf(isQuotaForm() ? periodMicros : NANOS_PER_CORE);
    }

    /**
     * Returns whether the other object is a {@code CpuLimit} of the same form and values: the same
     * nano-CPUs, or the same quota and period.
     *
     * @param o the other object
     * @return {@code true} if equal
     */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CpuLimit)) {
            return false;
        }
        CpuLimit that = (CpuLimit) o;
        return nanoCpus == that.nanoCpus && quotaMicros == that.quotaMicros && periodMicros == that.periodMicros;
    }

    /**
     * Returns a hash code consistent with {@link #equals(Object)}.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Long.hashCode(nanoCpus) * 31 * 31 + Long.hashCode(quotaMicros) * 31 + Long.hashCode(periodMicros);
    }

    /**
     * Returns the canonical form: cores without trailing zeros ({@code 2.5}, {@code 0.01},
     * {@code 3}) in the nano-CPUs form, {@code Qus/Pus} ({@code 250000us/100000us}) in the quota
     * form. {@link #parse(CharSequence)} reads it back to an equal value.
     *
     * @return the canonical text
     */
    @Override
    public String toString() {
        if (isQuotaForm()) {
            return quotaMicros + "us/" + periodMicros + "us";
        }
        return cores().toPlainString();
    }
}
