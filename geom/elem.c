/*
 * elem.c — log, log1p, exp, sinh and cosh in double-double, the same
 * bits on every platform.  elem.h states the contract; this comment is the
 * proof of the error bounds it states.
 *
 * Method.  Tables reduce the argument so that a short Taylor polynomial
 * suffices; only the polynomial's leading terms are carried in double-double
 * (each as precise as its weight requires) and the sums are arranged so that
 * the long constant part is added off the critical path: a dependent
 * double-double operation costs 4-7 ns, and latency, not the operation
 * count, is what these functions are made of.
 *
 *   log x    = e ln2 + L1 + L2 + log1p(r),  x = 2^e m, m in [sqrt(1/2), sqrt 2)
 *              c1 = RN12(256/i), i = round(256 m) (12-bit: 185 entries)
 *              c2 = RN41(1/(1 + j 2^-14)), j = round(2^14 (c1 m - 1)) (97)
 *              r  = c1 c2 m - 1 exactly (c1 c2 has 53 bits), |r| <= rho2
 *              L1, L2 = -log c1, -log c2; near 1 both are 0 and r = m - 1
 *   log1p(r) = r + r^2 A(r), A = -1/2 + r/3 - r^2/4 + ... - r^6/8
 *
 *   exp x    = 2^k 2^(j1/32) (1 + D2) e^r,  x = n ln2/1024 + r,
 *              n = 1024 k + 32 j1 + j2, D2 = 2^(j2/1024) - 1, |r| <= rho_e
 *   e^r - 1  = r + h^2 A2(h) + l (e^h - 1), r = h + l, A2 to h^6/8!
 *
 *   cosh, sinh (|x| >= ln 2): (e^x +- e^-x)/2, e^-x = 2^-k/m by one
 *            division and a Newton step
 *   sinh (|x| < ln 2): (E + E/(1 + E))/2 with E = e^x - 1 accurate
 *            relative to itself (the same tables, 1 + D kept as D)
 *
 * Every table value v is stored as hi = RN(v), lo = RN(v - hi) (MPFR at 600
 * bits, generated once; the tests check every entry through the results), so
 * it is within u^2 |v| of v.  u = 2^-53, and all bounds are in units of
 * u^2 = 2^-106 relative to the exact function of the exact argument.
 *
 * Building blocks (Joldes, Muller, Popescu, "Tight and rigorous error bounds
 * for basic building blocks of double-word arithmetic", ACM TOMS 44, 2017;
 * relative bounds for normalised operands):
 *   dd_add_d  (their Alg. 4)   2 u^2
 *   dd_add    (Alg. 6)         3 u^2 + 13 u^3   (written 3.01 below)
 *   dd_mul_d  (Alg. 8)         3 u^2
 *   dd_mul    (Alg. 10)        7 u^2
 * two_sum, two_prod (no underflow) and fast_two_sum (|a| >= |b| or a = 0)
 * are exact.  add_small(a, b), |b| <= |a|/32: fast_two_sum(a.hi, b.hi) is
 * exact and two roundings follow, so the error is at most
 * u^2 (2|a| + 2|b| + |a + b|): 3 u^2 of the sum for operands of one sign,
 * (3 + beta)/(1 - beta) u^2 for |b| = beta |a| of opposite sign.
 * dd_div(a, b) (dd.h: q1 = RN(a.hi/b.hi), p = a - dd_mul_d(b, q1) by
 * dd_sub, q1 + RN(p.hi/b.hi) by fast_two_sum): |a/b - q1| <= 3.01 u |a/b|
 * (q1's rounding, a.lo and b.lo ignored), the product is off by 3 u^2 |q1|,
 * and the second quotient has relative error 3.01 u (p.lo and b.lo ignored,
 * rounding), so the result is within 3.01 u * 3.01 u + 3 u^2 < 12.1 u^2
 * of a/b.
 */
#include <math.h>
#include <stdint.h>
#include "elem.h"

/* ln 2 = LN2.hi + LN2.lo + d, |d| < 2^-109 */
static const dd LN2 = {0x1.62e42fefa39efp-1, 0x1.abc9e3b39803fp-56};

#define SHIFT 0x1.8p52 /* (z + SHIFT) - SHIFT: z rounded to an integer, |z| < 2^51 */

/* a + b when |b| <= |a|/32: error <= u^2 (2|a| + 2|b| + |a + b|), see the top */
static inline dd add_small(dd a, dd b)
{
    dd s = dd_fast_two_sum(a.hi, b.hi);
    return dd_fast_two_sum(s.hi, s.lo + (a.lo + b.lo));
}

/* ---- log ------------------------------------------------------------------ */

struct log_entry {
    double c, hi, lo; /* c and -log(c) = hi + lo */
};

/* Entry i - LOG_T1_FIRST, i = 180..364: c1 = 256/i rounded to 12 bits, and
 * -log(c1).  c1 = 1, L1 = 0 at i = 256.  For m within 2^-50 of
 * [(i - 1/2)/256, (i + 1/2)/256], |c1 m - 1| <= 0.0028944 (2^-8.43), so
 * j = round(2^14 (c1 m - 1)) is in [-47, 47]. */
#define LOG_T1_FIRST 180
static const struct log_entry LOG_T1[185] = {
    {0x1.6c2p+0, -0x1.68c68395480f6p-2, -0x1.560366842ebe4p-56}, /* 180 */
    {0x1.6a2p+0, -0x1.6322b01ee61cp-2, 0x1.f298279802634p-57}, /* 181 */
    {0x1.682p+0, -0x1.5d76dd9a778dp-2, -0x1.279b3b76168b3p-57}, /* 182 */
    {0x1.662p+0, -0x1.57c2f53b05209p-2, -0x1.4c017c2a52127p-57}, /* 183 */
    {0x1.642p+0, -0x1.5206dfd186716p-2, -0x1.9fa51e79aff41p-57}, /* 184 */
    {0x1.624p+0, -0x1.4c9f09e152c3cp-2, -0x1.10c78fe91038bp-56}, /* 185 */
    {0x1.606p+0, -0x1.472fdbe4fd3f2p-2, -0x1.b2629fc10f5b7p-56}, /* 186 */
    {0x1.5e8p+0, -0x1.41b941cce0beep-2, -0x1.6fec1bc0376f6p-56}, /* 187 */
    {0x1.5cap+0, -0x1.3c3b2736b3f61p-2, 0x1.747a74f77e325p-57}, /* 188 */
    {0x1.5acp+0, -0x1.36b5776bc1117p-2, 0x1.a1e958f770386p-56}, /* 189 */
    {0x1.58ep+0, -0x1.31281d5f10fa4p-2, -0x1.ef195748543f8p-56}, /* 190 */
    {0x1.572p+0, -0x1.2bf287cc41362p-2, 0x1.6156c4e26290bp-58}, /* 191 */
    {0x1.556p+0, -0x1.26b620935063cp-2, -0x1.1767e2e6f25cep-57}, /* 192 */
    {0x1.53ap+0, -0x1.2172d5c2abbbbp-2, 0x1.594223fc705cp-56}, /* 193 */
    {0x1.51ep+0, -0x1.1c2895218f2cp-2, 0x1.ed37f8d4b1345p-58}, /* 194 */
    {0x1.502p+0, -0x1.16d74c2e8ac66p-2, 0x1.e134b941dc654p-59}, /* 195 */
    {0x1.4e6p+0, -0x1.117ee81dfe4c4p-2, 0x1.10eba2e6869b7p-57}, /* 196 */
    {0x1.4cap+0, -0x1.0c1f55d88a8a1p-2, 0x1.9ef6c0426aep-56}, /* 197 */
    {0x1.4bp+0, -0x1.071b85fcd590dp-2, -0x1.d1707f97bde8p-58}, /* 198 */
    {0x1.496p+0, -0x1.021164a9290ddp-2, -0x1.43f9daeecc232p-58}, /* 199 */
    {0x1.47ap+0, -0x1.f939c4e72d59dp-3, -0x1.e500ec33c030bp-63}, /* 200 */
    {0x1.46p+0, -0x1.ef0adcbdc5936p-3, -0x1.48637950dc20dp-57}, /* 201 */
    {0x1.446p+0, -0x1.e4ceeda61dda6p-3, -0x1.a0e33f47845a2p-57}, /* 202 */
    {0x1.42ep+0, -0x1.db50da24bd322p-3, 0x1.6fa403574f7afp-57}, /* 203 */
    {0x1.414p+0, -0x1.d0fb7f2255e51p-3, 0x1.4ac818ceca4c4p-57}, /* 204 */
    {0x1.3fcp+0, -0x1.c765b9e4d68d6p-3, 0x1.2992d12127811p-57}, /* 205 */
    {0x1.3e2p+0, -0x1.bcf6736f7d6c7p-3, -0x1.76b0a6e1c43a2p-60}, /* 206 */
    {0x1.3cap+0, -0x1.b34885022e81ep-3, 0x1.5e99b6f2309fap-58}, /* 207 */
    {0x1.3b2p+0, -0x1.a98ed238b8089p-3, -0x1.bfed1ee6b0199p-58}, /* 208 */
    {0x1.39ap+0, -0x1.9fc93e5409c31p-3, 0x1.7329d09885e3bp-59}, /* 209 */
    {0x1.382p+0, -0x1.95f7ac2b3b4f5p-3, -0x1.442f000de8626p-59}, /* 210 */
    {0x1.36ap+0, -0x1.8c19fe2982058p-3, 0x1.fe1f2836ed575p-57}, /* 211 */
    {0x1.352p+0, -0x1.8230164c1a332p-3, 0x1.14bad17a5bddbp-57}, /* 212 */
    {0x1.33ap+0, -0x1.7839d62023552p-3, 0x1.8b08013e47f9cp-57}, /* 213 */
    {0x1.324p+0, -0x1.6f0d28ae56b4cp-3, 0x1.906d99184b992p-57}, /* 214 */
    {0x1.30ep+0, -0x1.65d5e99cc3c47p-3, -0x1.e5b8d5321bfa8p-57}, /* 215 */
    {0x1.2f6p+0, -0x1.5bbc05f140486p-3, -0x1.258abb468d482p-58}, /* 216 */
    {0x1.2ep+0, -0x1.526e5e3a1b438p-3, 0x1.746ff8a470d3ap-57}, /* 217 */
    {0x1.2cap+0, -0x1.4915d832fb562p-3, 0x1.dc00d79ec3456p-57}, /* 218 */
    {0x1.2b4p+0, -0x1.3fb25a59528cbp-3, 0x1.065329c022936p-58}, /* 219 */
    {0x1.29ep+0, -0x1.3643cad0588f1p-3, 0x1.c37b3480acbdbp-58}, /* 220 */
    {0x1.288p+0, -0x1.2cca0f5f5f251p-3, 0x1.e3235fe23f016p-57}, /* 221 */
    {0x1.274p+0, -0x1.2423113ba50e3p-3, 0x1.e3ba766fc9a72p-66}, /* 222 */
    {0x1.25ep+0, -0x1.1a93b7d42f611p-3, 0x1.77e9d8abe639fp-57}, /* 223 */
    {0x1.24ap+0, -0x1.11d8e5e290472p-3, 0x1.05ad155aa5374p-57}, /* 224 */
    {0x1.234p+0, -0x1.08338affa282ap-3, 0x1.86a6fb83b1dbap-57}, /* 225 */
    {0x1.22p+0, -0x1.fec9131dbeabbp-4, 0x1.5746b9981b36cp-58}, /* 226 */
    {0x1.20cp+0, -0x1.ed1794e83780cp-4, 0x1.43749d0483dcap-58}, /* 227 */
    {0x1.1f8p+0, -0x1.db5270187d927p-4, -0x1.e15ab8607d2acp-58}, /* 228 */
    {0x1.1e2p+0, -0x1.c7af7a8472d76p-4, -0x1.472281ea1f818p-58}, /* 229 */
    {0x1.1dp+0, -0x1.b78c82bb0eda1p-4, -0x1.0878cf0327e21p-61}, /* 230 */
    {0x1.1bcp+0, -0x1.a58b60c2b2324p-4, 0x1.cd71727ca7984p-58}, /* 231 */
    {0x1.1a8p+0, -0x1.9375e55595edep-4, 0x1.e463f9e4dd92p-59}, /* 232 */
    {0x1.194p+0, -0x1.814be23f8c036p-4, -0x1.1c0ed417efe41p-58}, /* 233 */
    {0x1.182p+0, -0x1.70e12b325c82ap-4, 0x1.e4d51d665d0f7p-58}, /* 234 */
    {0x1.16ep+0, -0x1.5e8fa4d8591c7p-4, 0x1.8fb947780f93dp-63}, /* 235 */
    {0x1.15cp+0, -0x1.4e01108a35ae6p-4, 0x1.81069d28db75bp-59}, /* 236 */
    {0x1.148p+0, -0x1.3b87598b1b6eep-4, 0x1.594aca31297a3p-61}, /* 237 */
    {0x1.136p+0, -0x1.2ad449eff2316p-4, 0x1.d72f82dc39cap-59}, /* 238 */
    {0x1.124p+0, -0x1.1a0fba1bf8a52p-4, 0x1.9e731491f21c9p-64}, /* 239 */
    {0x1.112p+0, -0x1.0939853a1cc8cp-4, 0x1.3c34f846e1c9fp-58}, /* 240 */
    {0x1.0fep+0, -0x1.ecdf0f87b6168p-5, -0x1.0c529ff02178cp-59}, /* 241 */
    {0x1.0ecp+0, -0x1.cae72fb95c20bp-5, 0x1.f9012d8df3f0ep-59}, /* 242 */
    {0x1.0dcp+0, -0x1.ac97221711f8dp-5, -0x1.f780991163015p-60}, /* 243 */
    {0x1.0cap+0, -0x1.8a5a9cc614ca4p-5, 0x1.4800c074d0c95p-59}, /* 244 */
    {0x1.0b8p+0, -0x1.67f94f094bd98p-5, -0x1.f3e7e4ed6b2d6p-60}, /* 245 */
    {0x1.0a6p+0, -0x1.4572e981cad9p-5, 0x1.5064c828a904cp-60}, /* 246 */
    {0x1.096p+0, -0x1.26a32a86d2f72p-5, 0x1.ea56fe240fa05p-62}, /* 247 */
    {0x1.084p+0, -0x1.03d5d85e73eefp-5, -0x1.2c1da539d60edp-61}, /* 248 */
    {0x1.074p+0, -0x1.c98d18d00c814p-6, 0x1.50589df0f25bfp-61}, /* 249 */
    {0x1.062p+0, -0x1.83624fba83bd7p-6, -0x1.c96b4004622b7p-61}, /* 250 */
    {0x1.052p+0, -0x1.44c28d451662cp-6, -0x1.4a08cf28350efp-61}, /* 251 */
    {0x1.042p+0, -0x1.05e547826bc91p-6, 0x1.e21f5e1f7e49ep-60}, /* 252 */
    {0x1.03p+0, -0x1.7dc475f810a77p-7, 0x1.16d7687d3df21p-62}, /* 253 */
    {0x1.02p+0, -0x1.fe02a6b106789p-8, 0x1.e44b7e3711ebfp-67}, /* 254 */
    {0x1.01p+0, -0x1.ff00aa2b10bcp-9, -0x1.2821ad5a6d353p-63}, /* 255 */
    {0x1p+0, 0x0p+0, 0x0p+0}, /* 256 */
    {0x1.fep-1, 0x1.0080559588b35p-8, 0x1.f96638cf63677p-62}, /* 257 */
    {0x1.fcp-1, 0x1.010157588de71p-7, 0x1.46662d417cedp-62}, /* 258 */
    {0x1.fa2p-1, 0x1.7a2c82e212c65p-7, -0x1.d1c95731568a4p-61}, /* 259 */
    {0x1.f82p-1, 0x1.fbea8b13c03d9p-7, 0x1.27b17e4e134e1p-62}, /* 260 */
    {0x1.f64p-1, 0x1.3b024b78c5669p-6, 0x1.e23a02f82a1d4p-60}, /* 261 */
    {0x1.f44p-1, 0x1.7c61b1cf5deep-6, 0x1.b83db2ddc8012p-60}, /* 262 */
    {0x1.f26p-1, 0x1.b9e8027e1918ep-6, -0x1.bb4f4fcfb9727p-60}, /* 263 */
    {0x1.f08p-1, 0x1.f7a9b16782856p-6, -0x1.36c720c147756p-60}, /* 264 */
    {0x1.eeap-1, 0x1.1ad398c6cd588p-5, -0x1.b49716ef271a6p-59}, /* 265 */
    {0x1.eccp-1, 0x1.39f07ba0ebd62p-5, 0x1.4eb2172bbbf58p-59}, /* 266 */
    {0x1.eaep-1, 0x1.592bbc15215c9p-5, -0x1.e5634e6c1fbfcp-62}, /* 267 */
    {0x1.e92p-1, 0x1.766d923c20ff8p-5, 0x1.505e384982ab6p-59}, /* 268 */
    {0x1.e74p-1, 0x1.95e430f8ce45ep-5, -0x1.67bb43a6e5d7fp-60}, /* 269 */
    {0x1.e58p-1, 0x1.b35dd9b58baadp-5, -0x1.6526154e379dfp-61}, /* 270 */
    {0x1.e3ap-1, 0x1.d310ba20455a1p-5, 0x1.4dbdae98f9f4cp-59}, /* 271 */
    {0x1.e1ep-1, 0x1.f0c30c1116351p-5, 0x1.94ee90500a333p-62}, /* 272 */
    {0x1.e02p-1, 0x1.074883629640bp-4, -0x1.51ee824c30c1fp-59}, /* 273 */
    {0x1.de6p-1, 0x1.163d6ef957a03p-4, 0x1.3f1c9c64537cp-60}, /* 274 */
    {0x1.dcap-1, 0x1.254062f0a9417p-4, -0x1.af40c3a9bab6dp-64}, /* 275 */
    {0x1.daep-1, 0x1.345179b63dd42p-4, 0x1.e9b0a868391a8p-63}, /* 276 */
    {0x1.d92p-1, 0x1.4370ce02b7de8p-4, -0x1.308315b2d0329p-59}, /* 277 */
    {0x1.d78p-1, 0x1.518874226130ap-4, 0x1.d96258b3d8a8fp-60}, /* 278 */
    {0x1.d5cp-1, 0x1.60c38ba79945dp-4, -0x1.3bc513ed6a1c8p-58}, /* 279 */
    {0x1.d42p-1, 0x1.6ef528c056a2cp-4, -0x1.8b5d9f2b77346p-58}, /* 280 */
    {0x1.d28p-1, 0x1.7d33687c293c9p-4, -0x1.cf063e63e7075p-58}, /* 281 */
    {0x1.d0cp-1, 0x1.8c985e9b9ec84p-4, -0x1.bbf21801ae8cbp-59}, /* 282 */
    {0x1.cf2p-1, 0x1.9af124d64c626p-4, -0x1.4f5f8c466d77ap-59}, /* 283 */
    {0x1.cd8p-1, 0x1.a956d3ecade63p-4, 0x1.e5300b12bd55ep-58}, /* 284 */
    {0x1.cbep-1, 0x1.b7c9832f5801ap-4, 0x1.358893be169bfp-63}, /* 285 */
    {0x1.ca4p-1, 0x1.c6494a2e418a6p-4, -0x1.754df3b1a5d9p-60}, /* 286 */
    {0x1.c8cp-1, 0x1.d3b73f37e1f9bp-4, -0x1.fd984b5ff12efp-58}, /* 287 */
    {0x1.c72p-1, 0x1.e2507702af03bp-4, 0x1.0cff5bbb6e609p-58}, /* 288 */
    {0x1.c58p-1, 0x1.f0f70cdd992e3p-4, 0x1.f6c272c1dca71p-60}, /* 289 */
    {0x1.c4p-1, 0x1.fe89139dbd566p-4, -0x1.ac9f4215f9393p-58}, /* 290 */
    {0x1.c26p-1, 0x1.06a4d1d26c5e6p-3, -0x1.b22efa3b4dedfp-57}, /* 291 */
    {0x1.c0ep-1, 0x1.0d79e7cd48e5ap-3, 0x1.1423c24f1d3c1p-59}, /* 292 */
    {0x1.bf6p-1, 0x1.1454d8953741cp-3, 0x1.6f103ed5fdceap-57}, /* 293 */
    {0x1.bdep-1, 0x1.1b35ae3b81dbfp-3, -0x1.173b00b54eb3bp-57}, /* 294 */
    {0x1.bc4p-1, 0x1.22aff2ddbd971p-3, -0x1.535834b0ffc28p-60}, /* 295 */
    {0x1.bacp-1, 0x1.299d30c606ea7p-3, -0x1.ff0c47ee4eafbp-57}, /* 296 */
    {0x1.b96p-1, 0x1.2ffbf29a6645cp-3, -0x1.b4621a2bc5451p-57}, /* 297 */
    {0x1.b7ep-1, 0x1.36f4c27577593p-3, 0x1.d97c5ab133ffep-60}, /* 298 */
    {0x1.b66p-1, 0x1.3df3ab13505f7p-3, -0x1.8a4f7c9ebdc82p-57}, /* 299 */
    {0x1.b4ep-1, 0x1.44f8b726f8efbp-3, 0x1.4886573767e0fp-57}, /* 300 */
    {0x1.b38p-1, 0x1.4b6d6fefe22a4p-3, 0x1.767ab73ca8d5ep-57}, /* 301 */
    {0x1.b2p-1, 0x1.527e5e4a1b58dp-3, -0x1.71a9682395bfdp-61}, /* 302 */
    {0x1.b0ap-1, 0x1.58fe0e4c62eaep-3, -0x1.0111e0128a1b8p-59}, /* 303 */
    {0x1.af2p-1, 0x1.601b076e7a8a9p-3, 0x1.afa9bf91ca867p-57}, /* 304 */
    {0x1.adcp-1, 0x1.66a5d42a3ad34p-3, 0x1.267540052ff1dp-57}, /* 305 */
    {0x1.ac6p-1, 0x1.6d35fee52b83bp-3, 0x1.814b09b1e0a37p-57}, /* 306 */
    {0x1.abp-1, 0x1.73cb9074fd14dp-3, -0x1.521a000b4cf01p-57}, /* 307 */
    {0x1.a98p-1, 0x1.7b0091651528cp-3, 0x1.4069f303518c8p-57}, /* 308 */
    {0x1.a82p-1, 0x1.81a18b4220535p-3, -0x1.75d551b2a6857p-58}, /* 309 */
    {0x1.a6ep-1, 0x1.87ad07c493478p-3, 0x1.5878f399ec494p-57}, /* 310 */
    {0x1.a58p-1, 0x1.8e588ebac2dbfp-3, -0x1.46a9a5dd7ff12p-57}, /* 311 */
    {0x1.a42p-1, 0x1.9509aa0044f8fp-3, 0x1.9d6d34d717c19p-58}, /* 312 */
    {0x1.a2cp-1, 0x1.9bc062f26fc3ap-3, 0x1.b03013cda9bfcp-57}, /* 313 */
    {0x1.a16p-1, 0x1.a27cc30640ecbp-3, -0x1.6d39b16890a9ep-57}, /* 314 */
    {0x1.a02p-1, 0x1.a8a14ffee66bdp-3, 0x1.f2ba95e8bb64bp-57}, /* 315 */
    {0x1.9ecp-1, 0x1.af6895610dbaep-3, -0x1.445fbd49bb184p-60}, /* 316 */
    {0x1.9d8p-1, 0x1.b5971a213acdbp-3, -0x1.e2f8aadc42f8fp-57}, /* 317 */
    {0x1.9c2p-1, 0x1.bc69684aee63ep-3, -0x1.2a2ebe0642956p-57}, /* 318 */
    {0x1.9aep-1, 0x1.c2a205610593fp-3, 0x1.839904bfa522dp-57}, /* 319 */
    {0x1.99ap-1, 0x1.c8df7cb9a8f77p-3, 0x1.0bd63879b9fb6p-58}, /* 320 */
    {0x1.986p-1, 0x1.cf21d5ecbaa65p-3, -0x1.163340c0236e7p-58}, /* 321 */
    {0x1.97p-1, 0x1.d60a17f903515p-3, -0x1.c0df841a71b7ap-57}, /* 322 */
    {0x1.95cp-1, 0x1.dc56cae452f5ap-3, -0x1.0abb63cfd2336p-57}, /* 323 */
    {0x1.948p-1, 0x1.e2a877a6b2c12p-3, -0x1.fa21e3df9943p-58}, /* 324 */
    {0x1.934p-1, 0x1.e8ff2622babc7p-3, 0x1.3d33981e51981p-60}, /* 325 */
    {0x1.92p-1, 0x1.ef5ade4dcffe6p-3, -0x1.08ab2ddc708ap-58}, /* 326 */
    {0x1.90ep-1, 0x1.f518262c38082p-3, 0x1.0b8a15d088ef6p-59}, /* 327 */
    {0x1.8fap-1, 0x1.fb7d86eee3b9p-3, -0x1.8736e025ebdaep-59}, /* 328 */
    {0x1.8e6p-1, 0x1.00f40470c7324p-2, 0x1.a5f3a45f05206p-57}, /* 329 */
    {0x1.8d4p-1, 0x1.03d95a1d67686p-2, -0x1.dfc3727bdcd3p-58}, /* 330 */
    {0x1.8cp-1, 0x1.07138604d5862p-2, 0x1.cdb16ed4e9138p-56}, /* 331 */
    {0x1.8acp-1, 0x1.0a504e97bb40cp-2, 0x1.29ccd218877e5p-57}, /* 332 */
    {0x1.89ap-1, 0x1.0d3c7586cd5e4p-2, 0x1.642610bcbfdcep-57}, /* 333 */
    {0x1.886p-1, 0x1.107e404ab0f81p-2, 0x1.b79f71540978ap-58}, /* 334 */
    {0x1.874p-1, 0x1.136ef02e8290cp-2, -0x1.60c396093faf8p-58}, /* 335 */
    {0x1.862p-1, 0x1.1661caecb9ba4p-2, -0x1.fff9fc4aba901p-56}, /* 336 */
    {0x1.85p-1, 0x1.1956d3b9bc2fap-2, 0x1.7b9d68d50a15dp-56}, /* 337 */
    {0x1.83cp-1, 0x1.1ca28c64bae54p-2, -0x1.3e10bd559adb8p-56}, /* 338 */
    {0x1.82ap-1, 0x1.1f9c39f74c557p-2, 0x1.515541d5d6c35p-56}, /* 339 */
    {0x1.818p-1, 0x1.22981fbef797bp-2, -0x1.0b04ac06cebep-59}, /* 340 */
    {0x1.806p-1, 0x1.2596410df963ap-2, -0x1.f442de36410f7p-59}, /* 341 */
    {0x1.7f4p-1, 0x1.2896a13e086a4p-2, -0x1.2fd81e96ad9cfp-56}, /* 342 */
    {0x1.7e2p-1, 0x1.2b9943b06bd76p-2, -0x1.4c4833124d84ep-63}, /* 343 */
    {0x1.7dp-1, 0x1.2e9e2bce12286p-2, 0x1.8251a3b83d97ap-62}, /* 344 */
    {0x1.7bep-1, 0x1.31a55d07a8591p-2, -0x1.5dfb4b1118495p-56}, /* 345 */
    {0x1.7aep-1, 0x1.34585a594b8adp-2, -0x1.9bf230f410fddp-56}, /* 346 */
    {0x1.79cp-1, 0x1.3763e64645463p-2, -0x1.c1adc46953834p-57}, /* 347 */
    {0x1.78ap-1, 0x1.3a71c56bb48c6p-2, 0x1.1bed6a2120b29p-57}, /* 348 */
    {0x1.77ap-1, 0x1.3d2abb3b3b4dfp-2, -0x1.0479718ca1525p-58}, /* 349 */
    {0x1.768p-1, 0x1.403d086cea79cp-2, -0x1.0a8bb78cf7cdap-56}, /* 350 */
    {0x1.756p-1, 0x1.4351b33743eb9p-2, -0x1.340f4b656e1cp-56}, /* 351 */
    {0x1.746p-1, 0x1.4610bc29c5e18p-2, -0x1.64f9886472e95p-57}, /* 352 */
    {0x1.734p-1, 0x1.4929e8db4e6e4p-2, 0x1.5955b1c3785bp-58}, /* 353 */
    {0x1.724p-1, 0x1.4becf95d97913p-2, 0x1.89bffb8b1f5d2p-57}, /* 354 */
    {0x1.714p-1, 0x1.4eb1f36b07184p-2, 0x1.1d1b95e5ecebep-60}, /* 355 */
    {0x1.702p-1, 0x1.51d1d9310456cp-2, 0x1.f5441b391c5dp-57}, /* 356 */
    {0x1.6f2p-1, 0x1.549aec5def881p-2, 0x1.7166af2b67691p-56}, /* 357 */
    {0x1.6e2p-1, 0x1.5765f1749da6bp-2, 0x1.a4d83e4faa5b5p-57}, /* 358 */
    {0x1.6d2p-1, 0x1.5a32eb2e4eacbp-2, 0x1.5d5a4b18b2a7fp-56}, /* 359 */
    {0x1.6c2p-1, 0x1.5d01dc49ff2e8p-2, 0x1.5719f4bda516fp-58}, /* 360 */
    {0x1.6b2p-1, 0x1.5fd2c78c78828p-2, 0x1.242ad6f292541p-57}, /* 361 */
    {0x1.6a2p-1, 0x1.62a5afc06121fp-2, -0x1.5aea088066ca7p-56}, /* 362 */
    {0x1.692p-1, 0x1.657a97b64d437p-2, -0x1.9fdb506def5ebp-57}, /* 363 */
    {0x1.682p-1, 0x1.68518244cfb0ep-2, 0x1.17fc45f88cbe6p-56}, /* 364 */
};

/* Entry j + LOG_T2_HALF, j = -48..48: c2 = 1/(1 + j 2^-14) rounded to 41
 * bits (so that c1 c2 is exact), and -log(c2); c2 = 1, L2 = 0 at j = 0.
 * For c1 m - 1 within 2^-50 of [(j - 1/2) 2^-14, (j + 1/2) 2^-14],
 * |c1 c2 m - 1| <= rho2 = 3.0608e-5 (2^-14.996). */
#define LOG_T2_HALF 48
static const struct log_entry LOG_T2[97] = {
    {0x1.00c0906c51p+0, -0x1.809048281edcp-9, -0x1.a5a9bf686ffb6p-63}, /* -48 */
    {0x1.00bc8a75aep+0, -0x1.788a53bc4e528p-9, 0x1.4e50b3260661bp-65}, /* -47 */
    {0x1.00b8849f53p+0, -0x1.70847f81e012ep-9, 0x1.6adb4f765a708p-63}, /* -46 */
    {0x1.00b47ee93cp+0, -0x1.687ecb72de4bfp-9, 0x1.52c690f20558fp-63}, /* -45 */
    {0x1.00b0795369p+0, -0x1.607937914d38ap-9, -0x1.e34ae85f1d4b5p-64}, /* -44 */
    {0x1.00ac73ddd9p+0, -0x1.5873c3dd32782p-9, 0x1.21b113a06d403p-63}, /* -43 */
    {0x1.00a86e888ap+0, -0x1.506e705494e59p-9, 0x1.c2a2087d2c92ap-63}, /* -42 */
    {0x1.00a4695379p+0, -0x1.48693cf37c704p-9, -0x1.ed316e56d7951p-64}, /* -41 */
    {0x1.00a0643ea7p+0, -0x1.406429bdebb3cp-9, -0x1.bd84d9fed4e3ep-64}, /* -40 */
    {0x1.009c5f4a11p+0, -0x1.385f36afea57ap-9, 0x1.e405d089007e4p-65}, /* -39 */
    {0x1.00985a75b6p+0, -0x1.305a63c97d4f9p-9, 0x1.f3c7f6f9f2f2cp-63}, /* -38 */
    {0x1.009455c194p+0, -0x1.2855b108aaa35p-9, -0x1.cd17e3bbf3ec6p-64}, /* -37 */
    {0x1.0090512daap+0, -0x1.20511e6d7706fp-9, 0x1.1d1fce6929deap-65}, /* -36 */
    {0x1.008c4cb9f6p+0, -0x1.184cabf5e8326p-9, -0x1.1f8d56d7739bp-63}, /* -35 */
    {0x1.0088486676p+0, -0x1.104859a003a9ep-9, 0x1.7e99ef514ec79p-63}, /* -34 */
    {0x1.008444332ap+0, -0x1.0844276dccad9p-9, 0x1.130076375e5f7p-66}, /* -33 */
    {0x1.008040201p+0, -0x1.0040155d4889ep-9, 0x1.8f98e1513f403p-65}, /* -32 */
    {0x1.007c3c2d26p+0, -0x1.f07846d8f8ae7p-10, -0x1.72d45e4dad16dp-65}, /* -31 */
    {0x1.0078385a6ap+0, -0x1.e070a332d9f45p-10, -0x1.8db741ecc00d5p-64}, /* -30 */
    {0x1.007434a7dcp+0, -0x1.d0693fcc3aa6bp-10, 0x1.4deedb2f91ac6p-64}, /* -29 */
    {0x1.0070311579p+0, -0x1.c0621c9d25deep-10, -0x1.c2a99682bbe71p-66}, /* -28 */
    {0x1.006c2da341p+0, -0x1.b05b39a9a0feap-10, 0x1.ffeba4743dcebp-64}, /* -27 */
    {0x1.00682a5131p+0, -0x1.a05496e9b65f9p-10, -0x1.22673569d94c3p-64}, /* -26 */
    {0x1.0064271f48p+0, -0x1.904e345d6c93cp-10, -0x1.c4736b2f7a7a7p-64}, /* -25 */
    {0x1.0060240d85p+0, -0x1.80481204ca054p-10, -0x1.9cf9d57c0904p-64}, /* -24 */
    {0x1.005c211be6p+0, -0x1.70422fdbd6665p-10, 0x1.a0a544e505b3bp-67}, /* -23 */
    {0x1.00581e4a6ap+0, -0x1.603c8de297a14p-10, -0x1.e6c1b62e2b1bfp-66}, /* -22 */
    {0x1.00541b990ep+0, -0x1.50372c111618ap-10, -0x1.d9e1f2672908ep-66}, /* -21 */
    {0x1.00501907d2p+0, -0x1.40320a6b55c71p-10, -0x1.b31f0cf9c8f3dp-65}, /* -20 */
    {0x1.004c1696b5p+0, -0x1.302d28f15bef6p-10, 0x1.5f429f9eaf7d6p-64}, /* -19 */
    {0x1.00481445b4p+0, -0x1.2028879b2fec6p-10, 0x1.b055b95372f9ep-64}, /* -18 */
    {0x1.00441214cep+0, -0x1.10242668d6511p-10, 0x1.c2cc0f762f08p-66}, /* -17 */
    {0x1.0040100401p+0, -0x1.0020055654889p-10, -0x1.9abe6bf0ea436p-65}, /* -16 */
    {0x1.003c0e134dp+0, -0x1.e03848cf5b6c3p-11, -0x1.b7b2d4f11f14dp-65}, /* -15 */
    {0x1.00380c42afp+0, -0x1.c0310729cf69ep-11, -0x1.20efdfaa94922p-65}, /* -14 */
    {0x1.00340a9226p+0, -0x1.a02a45bc0c30fp-11, -0x1.9114a77d3916ep-66}, /* -13 */
    {0x1.00300901bp+0, -0x1.8024047e1a185p-11, -0x1.32d16d930178ap-68}, /* -12 */
    {0x1.002c07914dp+0, -0x1.601e4377fde71p-11, -0x1.dcbed235ecc89p-67}, /* -11 */
    {0x1.00280640fap+0, -0x1.40190299c0547p-11, 0x1.f48f253e70dfdp-72}, /* -10 */
    {0x1.00240510b6p+0, -0x1.201441e36687cp-11, -0x1.39ab2e384b124p-65}, /* -9 */
    {0x1.002004008p+0, -0x1.00100154f5589p-11, 0x1.c8864023ef222p-65}, /* -8 */
    {0x1.001c031056p+0, -0x1.c01881cce45cap-12, 0x1.02390a4b1ce41p-67}, /* -7 */
    {0x1.0018024036p+0, -0x1.8012011fc3418p-12, -0x1.3acbcf439e326p-66}, /* -6 */
    {0x1.001401901fp+0, -0x1.400c80a28daf4p-12, -0x1.bd35be794c364p-66}, /* -5 */
    {0x1.001001001p+0, -0x1.0008005549559p-12, 0x1.dd332a1020e2fp-66}, /* -4 */
    {0x1.000c009007p+0, -0x1.8009004ff8082p-13, 0x1.ec9049b445fdp-67}, /* -3 */
    {0x1.0008004002p+0, -0x1.0004001553d56p-13, 0x1.ddd88863f93f6p-67}, /* -2 */
    {0x1.0004001p+0, -0x1.0001fff555655p-14, -0x1.6221cccd5f17fp-68}, /* -1 */
    {0x1p+0, 0x0p+0, 0x0p+0}, /* 0 */
    {0x1.fff8002p-1, 0x1.fffbffeaaa8abp-15, -0x1.3bbb110fec82dp-69}, /* 1 */
    {0x1.fff0007ffcp-1, 0x1.fff8002aadaabp-14, 0x1.10e6678b10afcp-70}, /* 2 */
    {0x1.ffe8011ff3p-1, 0x1.7ff7004007382p-13, -0x1.ed094af7abefp-67}, /* 3 */
    {0x1.ffe001ffep-1, 0x1.fff000aac2ab1p-13, 0x1.0bbc04ec4e3dcp-69}, /* 4 */
    {0x1.ffd8031fc2p-1, 0x1.3ff380a2c7a74p-12, 0x1.b81fe935773fep-66}, /* 5 */
    {0x1.ffd0047f94p-1, 0x1.7fee01203cc18p-12, 0x1.2b9bcf9081323p-66}, /* 6 */
    {0x1.ffc8061f55p-1, 0x1.bfe781c5c574ap-12, -0x1.4ed0d869fd826p-67}, /* 7 */
    {0x1.ffc007ffp-1, 0x1.ffe002ab6ab11p-12, 0x1.99e2d62cc632dp-70}, /* 8 */
    {0x1.ffb80a1e94p-1, 0x1.1febc1e49983cp-11, 0x1.c657e41be7d92p-66}, /* 9 */
    {0x1.ffb00c7e0cp-1, 0x1.3fe7029b95147p-11, -0x1.4d578008ac36ap-66}, /* 10 */
    {0x1.ffa80f1d67p-1, 0x1.5fe1c376ac331p-11, -0x1.524eb847cb376p-66}, /* 11 */
    {0x1.ffa011fca1p-1, 0x1.7fdc047de5585p-11, -0x1.bfa5bcd34ded3p-65}, /* 12 */
    {0x1.ff98151bb6p-1, 0x1.9fd5c5b947ccep-11, 0x1.b6ed52c33952dp-65}, /* 13 */
    {0x1.ff90187aa5p-1, 0x1.bfcf0724d909dp-11, 0x1.5db4da3bb221cp-67}, /* 14 */
    {0x1.ff881c196ap-1, 0x1.dfc7c8c8a1682p-11, -0x1.863e9d3883e6fp-65}, /* 15 */
    {0x1.ff801ff802p-1, 0x1.ffc00aa8a911p-11, -0x1.0fecbeb9a6cdbp-65}, /* 16 */
    {0x1.ff7824166ap-1, 0x1.0fdbe6647c5efp-10, -0x1.d055459332d9cp-68}, /* 17 */
    {0x1.ff7028749fp-1, 0x1.1fd78796ccdc3p-10, -0x1.0084905c462c2p-65}, /* 18 */
    {0x1.ff682d129ep-1, 0x1.2fd2e8ed4aed2p-10, -0x1.4f78492ad88bfp-66}, /* 19 */
    {0x1.ff6031f065p-1, 0x1.3fce0a67fb26cp-10, 0x1.02719ac612ee6p-65}, /* 20 */
    {0x1.ff58370defp-1, 0x1.4fc8ec0ce43e3p-10, 0x1.32cc251d30708p-64}, /* 21 */
    {0x1.ff503c6b3bp-1, 0x1.5fc38dda0ab0bp-10, 0x1.bb2ff6dd8bb3cp-66}, /* 22 */
    {0x1.ff48420845p-1, 0x1.6fbdefd3752b9p-10, 0x1.796b867b02898p-65}, /* 23 */
    {0x1.ff4047e50ap-1, 0x1.7fb811fb2a045p-10, 0x1.b9e6dc7da8f97p-65}, /* 24 */
    {0x1.ff384e0187p-1, 0x1.8fb1f4532fd89p-10, 0x1.419c7bc377436p-67}, /* 25 */
    {0x1.ff30545dbap-1, 0x1.9fab96db8cbe1p-10, -0x1.11464778e7e31p-64}, /* 26 */
    {0x1.ff285af99fp-1, 0x1.afa4f99848a2bp-10, -0x1.28583fdd6d462p-64}, /* 27 */
    {0x1.ff2061d533p-1, 0x1.bf9e1c8b6afc8p-10, -0x1.7f81ae30318fcp-65}, /* 28 */
    {0x1.ff1868f073p-1, 0x1.cf96ffb6fb89bp-10, 0x1.9b1b81c269cbfp-64}, /* 29 */
    {0x1.ff10704b5dp-1, 0x1.df8fa31b0160bp-10, 0x1.cf65274c1306cp-64}, /* 30 */
    {0x1.ff0877e5edp-1, 0x1.ef8806bb85b01p-10, -0x1.680374b15888bp-64}, /* 31 */
    {0x1.ff007fc02p-1, 0x1.ff802a9a910e6p-10, 0x1.e29e3a353e3b2p-64}, /* 32 */
    {0x1.fef887d9f4p-1, 0x1.07bc075c15a96p-9, -0x1.688049b90a8bap-63}, /* 33 */
    {0x1.fef0903365p-1, 0x1.0fb7d98c2f4ep-9, 0x1.ede2f46920fcdp-64}, /* 34 */
    {0x1.fee898cc7p-1, 0x1.17b38bde9a2cdp-9, 0x1.e02721a5f662ap-64}, /* 35 */
    {0x1.fee0a1a513p-1, 0x1.1faf1e535a918p-9, 0x1.bae5f80ed9a9bp-63}, /* 36 */
    {0x1.fed8aabd4bp-1, 0x1.27aa90eb756ffp-9, 0x1.1678f89a024f8p-63}, /* 37 */
    {0x1.fed0b41513p-1, 0x1.2fa5e3a9f1101p-9, -0x1.0f2e4d98ca881p-64}, /* 38 */
    {0x1.fec8bdac6bp-1, 0x1.37a1168cd0f1ep-9, 0x1.e2af8aac8d6b6p-66}, /* 39 */
    {0x1.fec0c7834ep-1, 0x1.3f9c29971ba99p-9, 0x1.d35907a236e9ep-63}, /* 40 */
    {0x1.feb8d199bap-1, 0x1.47971cc8d6237p-9, 0x1.f373e1ffb6db6p-63}, /* 41 */
    {0x1.feb0dbefabp-1, 0x1.4f91f02406afep-9, 0x1.c6fe35130d38fp-63}, /* 42 */
    {0x1.fea8e6851fp-1, 0x1.578ca3a8b27b7p-9, -0x1.e3f0ff5b8920cp-63}, /* 43 */
    {0x1.fea0f15a12p-1, 0x1.5f873758e026ap-9, -0x1.b0782b460481ap-65}, /* 44 */
    {0x1.fe98fc6e82p-1, 0x1.6781ab34951e5p-9, -0x1.2dc68ab684989p-63}, /* 45 */
    {0x1.fe9107c26cp-1, 0x1.6f7bff3cd79b5p-9, 0x1.59793d8183ba3p-64}, /* 46 */
    {0x1.fe891355cdp-1, 0x1.77763372adfacp-9, -0x1.a5ae252f9f105p-63}, /* 47 */
    {0x1.fe811f28a2p-1, 0x1.7f7047d71ebdap-9, 0x1.a275a52ca8e8p-63}, /* 48 */
};

static const dd LC3 = {0x1.5555555555555p-2, 0x1.5555555555555p-56}; /* 1/3 */

/* q = log1p(r) - r = r^2 A(r) for |r| <= rho2, with |q - qhat| < 0.01 u^2 |r|.
 *
 * A = -1/2 + r/3 - r^2/4 + r^2 b, b = r/5 - r^2/6 + r^3/7 - r^4/8 (double,
 * in r.hi): the series is cut after r^8, and the rest is below
 * rho2^8/9 |r| < 2^-122 |r|.  A enters multiplied by r^2, so its absolute
 * error counts rho2 (2^-15) times relative to r: r/3 by dd_mul (7 u^2 of
 * 2^-16.6), r^2 by dd_mul, r^2 b ~ 2^-47 with a relative error of a few u
 * (2^-100 absolute, and r.lo's effect on b 2^-100 too), the two exact
 * fast_two_sums, and the two rounded low-part sums (each below u 2^-46):
 * |A - Ahat| < 2^-98.  Then q = dd_mul(r^2, A), 7 u^2 of |q| <= 2^-16 |r|. */
static dd log1p_tail(dd r)
{
    double h = r.hi, hh = h * h;
    double b = h * ((0x1.999999999999ap-3 /* 1/5 */ - h * 0x1.5555555555555p-3 /* 1/6 */)
                    + hh * (0x1.2492492492492p-3 /* 1/7 */ - h * 0.125));
    dd r2 = dd_mul(r, r);
    dd t = dd_mul(r, LC3);
    dd B = dd_fast_two_sum(t.hi, -0.25 * r2.hi);
    double blo = (B.lo + t.lo) + (r2.hi * b - 0.25 * r2.lo);
    dd A = dd_fast_two_sum(-0.5, B.hi);
    A = dd_fast_two_sum(A.hi, A.lo + blo);
    return dd_mul(r2, A);
}

/* log = (e ln2 + L1) + ((L2 + r) + q), given r and the table entries.
 *
 * The big part e ln2 + L1 and the small part L2 + r do not depend on the
 * polynomial, so the CPU computes them while q is being evaluated; only the
 * last two additions wait for q.  e ln2: two_prod(e, LN2.hi) exact,
 * e LN2.lo rounded (0.29 u^2), ln 2's truncation (0.35 u^2), the rounded
 * low-part sum (1.29 u^2): within 1.93 u^2 |e ln2|.
 *
 * Error, given r with |rhat - r| <= 2.01 u^2 |r| (the reductions below):
 *   |L1| + |L2|                      (tables)
 *   + 2.01 |r| + 7 |q| (q's error above is smaller than this)
 *   + 3.01 |L2 + r|                  (dd_add, if L2 != 0)
 *   + 2 |L2 + r| + 2 |q| + |L2 + r + q|   (add_small, |q| <= 2^-16 |L2 + r|)
 *   + 1.93 ln2 |e| + 3.01 |e ln2 + L1|    (if e != 0)
 *   + 3.01 |log x|                   (the last dd_add, if e != 0 or L1 != 0)
 * in units of u^2.  Divided by |log x|, the bound is a convex function over a
 * concave positive one on each (i, j) cell (taking |L2 + r + q| <=
 * |L2| + |r| + |q|), so its maximum is at the cells' ends; evaluated there for
 * every cell: 12.07 u^2 for e = 0 (at m = 256.5/256, i = 257, where
 * L1 = 2.0 log m), 10.91 for e = +-1, 8.95 for e = +-2, and smaller beyond.
 * In the cell of m = 1 (c1 = c2 = 1, e = 0) r = m - 1 exactly and the
 * error is add_small's, 3.01 u^2.  Hence < 12.1 u^2 for log. */
static dd log_finish(dd r, int64_t e, const struct log_entry *t1, const struct log_entry *t2)
{
    dd q = log1p_tail(r);
    dd small = r; /* L2 + r, |L2 + r| < 0.0032 */
    if (t2->c != 1.0) {
        dd l2 = {t2->hi, t2->lo};
        small = dd_add(l2, r);
    }
    small = add_small(small, q);
    int have = t1->c != 1.0;
    dd big = {t1->hi, t1->lo}; /* e ln2 + L1 */
    if (e != 0) {
        double ed = (double)e; /* |e| < 2^33: exact */
        dd kl = dd_two_prod(ed, LN2.hi);
        kl = dd_fast_two_sum(kl.hi, kl.lo + ed * LN2.lo);
        big = have ? dd_add(kl, big) : kl;
        have = 1;
    }
    return have ? dd_add(big, small) : small;
}

/* log(2^e m), m = mh + ml in [sqrt(1/2), sqrt 2).
 * r = c m - 1: p = c mh exactly, p.hi - 1 exact (Sterbenz), and
 * fast_two_sum(p.hi - 1, p.lo) exact (p.hi - 1 is 0 or a multiple of 2^-53
 * at least as large as |p.lo|); q = c ml exactly; s + q by two_sum and two
 * rounded low-part sums: within u^2 (|s| + |q| + |r|) <= 2.01 u^2 |r| +
 * 3 u^3, and 3 u^3 is nothing against |log m| >= 2^-15 where c != 1 (where
 * c = 1, r = m - 1 is exact). */
static dd log_m(double mh, double ml, int64_t e)
{
    const struct log_entry *t1 = &LOG_T1[(int)(mh * 256.0 + 0.5) - LOG_T1_FIRST];
    double r1 = fma(t1->c, mh, -1.0);
    const struct log_entry *t2 = &LOG_T2[(int)((r1 * 0x1p14 + SHIFT) - SHIFT) + LOG_T2_HALF];
    double c = t1->c * t2->c;
    dd p = dd_two_prod(c, mh);
    dd q = dd_two_prod(c, ml);
    dd s = dd_fast_two_sum(p.hi - 1.0, p.lo);
    dd r = dd_two_sum(s.hi, q.hi);
    r = dd_fast_two_sum(r.hi, r.lo + (s.lo + q.lo));
    return log_finish(r, e, t1, t2);
}

/* log(1 + a) for a with 1 + a.hi in (0.71, 1.41), 1 + a never formed.
 * r = (c - 1) + c a.hi + c a.lo: c - 1 exact (Sterbenz), the products exact,
 * s = c - 1 + p.hi and g = p.lo + q.hi by two_sum, then three rounded
 * low-part sums: within 2.01 u^2 |r| + 3 u^3 as in log_m; r = a exactly when
 * c = 1.  So log1p inside this range is bounded like log, < 12.1 u^2. */
static dd log1p_a(dd a)
{
    const struct log_entry *t1 = &LOG_T1[(int)((1.0 + a.hi) * 256.0 + 0.5) - LOG_T1_FIRST];
    double r1 = fma(t1->c, a.hi, t1->c - 1.0);
    const struct log_entry *t2 = &LOG_T2[(int)((r1 * 0x1p14 + SHIFT) - SHIFT) + LOG_T2_HALF];
    double c = t1->c * t2->c;
    dd r = a;
    if (c != 1.0) {
        dd p = dd_two_prod(c, a.hi);
        dd q = dd_two_prod(c, a.lo);
        dd s = dd_two_sum(c - 1.0, p.hi);
        dd g = dd_two_sum(p.lo, q.hi);
        r = dd_two_sum(s.hi, g.hi);
        r = dd_fast_two_sum(r.hi, r.lo + ((s.lo + g.lo) + q.lo));
    }
    return log_finish(r, 0, t1, t2);
}

/* log((hi + lo) 2^e), hi > 0 finite.  Scaling by powers of two is exact for
 * hi; lo may lose bits below 2^-1074 only where the final e != 0, a relative
 * change of the argument below 2^-1000 while |log x| >= 0.34 there. */
static dd log_pos(double hi, double lo, int64_t e)
{
    if (hi < 0x1p-1000) { /* subnormal or tiny: keep 2^-k below a normal double */
        hi *= 0x1p200;
        lo *= 0x1p200;
        e -= 200;
    } else if (hi >= 0x1p1000) {
        hi *= 0x1p-200;
        lo *= 0x1p-200;
        e += 200;
    }
    int k = dd_exponent(hi);
    double s = dd_pow2(-k);
    hi *= s;
    lo *= s;
    e += k;
    if (hi > 0x1.6a09e667f3bcdp+0) { /* RN(sqrt 2): keep |log m| <= 0.3466 */
        hi *= 0.5;
        lo *= 0.5;
        e += 1;
    }
    return log_m(hi, lo, e);
}

dd geom_log_xdd(xdd x)
{
    if (!(x.hi > 0.0) || x.hi == INFINITY) {
        dd r = {x.hi == 0.0 ? -INFINITY : x.hi == INFINITY ? INFINITY : NAN,
                x.hi == 0.0 || x.hi == INFINITY ? 0.0 : NAN};
        return r;
    }
    return log_pos(x.hi, x.lo, x.e);
}

dd geom_log_dd(dd x)
{
    xdd v = {x.hi, x.lo, 0};
    return geom_log_xdd(v);
}

/* Outside (-0.29, 0.41), |log1p(x)| >= 0.3425 and 1 + x is formed by
 * dd_add_d (2 u^2 of 1 + x, so 2 u^2 absolute in the log: 5.84 u^2
 * relative) before log, whose bound there is that of e = -1 or of the far
 * cells of e = 0, < 10.91 u^2: < 16.8 u^2 in all. */
dd geom_log1p_dd(dd x)
{
    if (x.hi > -0.29 && x.hi < 0.41)
        return log1p_a(x);
    if (x.hi > 0x1p1000) /* also +Inf: log1p(x) = log(x) + log1p(1/x), 1/x < 2^-1000 */
        return geom_log_dd(x);
    return geom_log_dd(dd_add_d(x, 1.0)); /* also -1, < -1, NaN */
}

/* ---- exp ------------------------------------------------------------------ */

/* Entry j: 2^(j/32) and 2^(j/32) - 1 (double-doubles). */
static const struct {
    dd e, d;
} EXP_T1[32] = {
    {{0x1p+0, 0x0p+0}, {0x0p+0, 0x0p+0}}, /* 0 */
    {{0x1.059b0d3158574p+0, 0x1.d73e2a475b465p-55}, {0x1.66c34c5615d0fp-6, -0x1.183ab7149735cp-60}}, /* 1 */
    {{0x1.0b5586cf9890fp+0, 0x1.8a62e4adc610bp-54}, {0x1.6ab0d9f3121ecp-5, 0x1.4c5c95b8c2155p-59}}, /* 2 */
    {{0x1.11301d0125b51p+0, -0x1.6c51039449b3ap-54}, {0x1.1301d0125b50ap-4, 0x1.3aefc6bb64c63p-58}}, /* 3 */
    {{0x1.172b83c7d517bp+0, -0x1.19041b9d78a76p-55}, {0x1.72b83c7d517aep-4, -0x1.9041b9d78a75bp-59}}, /* 4 */
    {{0x1.1d4873168b9aap+0, 0x1.e016e00a2643cp-54}, {0x1.d4873168b9aa8p-4, -0x1.fe91ff5d9bc3ep-58}}, /* 5 */
    {{0x1.2387a6e756238p+0, 0x1.9b07eb6c70573p-54}, {0x1.1c3d373ab11c3p-3, 0x1.b07eb6c70572dp-58}}, /* 6 */
    {{0x1.29e9df51fdee1p+0, 0x1.612e8afad1255p-55}, {0x1.4f4efa8fef709p-3, 0x1.84ba2beb44954p-57}}, /* 7 */
    {{0x1.306fe0a31b715p+0, 0x1.6f46ad23182e4p-55}, {0x1.837f0518db8a9p-3, 0x1.bd1ab48c60b91p-57}}, /* 8 */
    {{0x1.371a7373aa9cbp+0, -0x1.63aeabf42eae2p-54}, {0x1.b8d39b9d54e55p-3, 0x1.c51540bd151e6p-58}}, /* 9 */
    {{0x1.3dea64c123422p+0, 0x1.ada0911f09ebcp-55}, {0x1.ef5326091a112p-3, -0x1.497dbb83d8512p-57}}, /* 10 */
    {{0x1.44e086061892dp+0, 0x1.89b7a04ef80dp-59}, {0x1.13821818624b4p-2, 0x1.89b7a04ef80dp-59}}, /* 11 */
    {{0x1.4bfdad5362a27p+0, 0x1.d4397afec42e2p-56}, {0x1.2ff6b54d8a89cp-2, 0x1.d4397afec42e2p-56}}, /* 12 */
    {{0x1.5342b569d4f82p+0, -0x1.07abe1db13cadp-55}, {0x1.4d0ad5a753e07p-2, 0x1.f0a83c49d86a6p-56}}, /* 13 */
    {{0x1.5ab07dd485429p+0, 0x1.6324c054647adp-54}, {0x1.6ac1f752150a5p-2, 0x1.8c93015191eb3p-56}}, /* 14 */
    {{0x1.6247eb03a5585p+0, -0x1.383c17e40b497p-54}, {0x1.891fac0e95613p-2, -0x1.c1e0bf205a4b8p-57}}, /* 15 */
    {{0x1.6a09e667f3bcdp+0, -0x1.bdd3413b26456p-54}, {0x1.a827999fcef32p-2, 0x1.08b2fb1366ea9p-56}}, /* 16 */
    {{0x1.71f75e8ec5f74p+0, -0x1.16e4786887a99p-55}, {0x1.c7dd7a3b17dcfp-2, 0x1.d2370f2ef0acdp-56}}, /* 17 */
    {{0x1.7a11473eb0187p+0, -0x1.41577ee04992fp-55}, {0x1.e8451cfac061bp-2, 0x1.7d51023f6cda2p-56}}, /* 18 */
    {{0x1.82589994cce13p+0, -0x1.d4c1dd41532d8p-54}, {0x1.04b1332999c25p-1, 0x1.59f115f56694p-57}}, /* 19 */
    {{0x1.8ace5422aa0dbp+0, 0x1.6e9f156864b27p-54}, {0x1.159ca845541b7p-1, -0x1.22c1d52f369b2p-55}}, /* 20 */
    {{0x1.93737b0cdc5e5p+0, -0x1.75fc781b57ebcp-57}, {0x1.26e6f619b8bcap-1, -0x1.75fc781b57ebcp-57}}, /* 21 */
    {{0x1.9c49182a3f09p+0, 0x1.c7c46b071f2bep-56}, {0x1.389230547e12p-1, 0x1.c7c46b071f2bep-56}}, /* 22 */
    {{0x1.a5503b23e255dp+0, -0x1.d2f6edb8d41e1p-54}, {0x1.4aa07647c4ab9p-1, 0x1.684892395f0f8p-57}}, /* 23 */
    {{0x1.ae89f995ad3adp+0, 0x1.7a1cd345dcc81p-54}, {0x1.5d13f32b5a75bp-1, -0x1.0bc65974466fdp-55}}, /* 24 */
    {{0x1.b7f76f2fb5e47p+0, -0x1.5584f7e54ac3bp-56}, {0x1.6feede5f6bc8ep-1, -0x1.5584f7e54ac3bp-56}}, /* 25 */
    {{0x1.c199bdd85529cp+0, 0x1.11065895048ddp-55}, {0x1.83337bb0aa538p-1, 0x1.11065895048ddp-55}}, /* 26 */
    {{0x1.cb720dcef9069p+0, 0x1.503cbd1e949dbp-56}, {0x1.96e41b9df20d2p-1, 0x1.503cbd1e949dbp-56}}, /* 27 */
    {{0x1.d5818dcfba487p+0, 0x1.2ed02d75b3707p-55}, {0x1.ab031b9f7490ep-1, 0x1.2ed02d75b3707p-55}}, /* 28 */
    {{0x1.dfc97337b9b5fp+0, -0x1.1a5cd4f184b5cp-54}, {0x1.bf92e66f736bdp-1, 0x1.cb46561cf6949p-55}}, /* 29 */
    {{0x1.ea4afa2a490dap+0, -0x1.e9c23179c2893p-54}, {0x1.d495f454921b3p-1, 0x1.63dce863d76ccp-58}}, /* 30 */
    {{0x1.f50765b6e454p+0, 0x1.9d3e12dd8a18bp-54}, {0x1.ea0ecb6dc8a81p-1, -0x1.8b07b489d79d4p-56}}, /* 31 */
};

/* Entry j: 2^(j/1024) - 1 (double-double). */
static const dd EXP_D2[32] = {
    {0x0p+0, 0x0p+0}, /* 0 */
    {0x1.6302f17467628p-11, 0x1.b486ff22688e8p-66}, /* 1 */
    {0x1.6321b687027a8p-10, 0x1.ff19d294cf2f6p-64}, /* 2 */
    {0x1.0a705f5df063bp-9, 0x1.49fc841afba9cp-63}, /* 3 */
    {0x1.635f4b5797dacp-9, 0x1.29ab13ec11dc9p-64}, /* 4 */
    {0x1.bc5da1dc1e9ecp-9, -0x1.ab13a069914e8p-67}, /* 5 */
    {0x1.0ab5b2cbd117p-8, 0x1.d0660524e0875p-62}, /* 6 */
    {0x1.37444c9b5b4edp-8, 0x1.254527a25db82p-62}, /* 7 */
    {0x1.63da9fb33356ep-8, -0x1.ed665473248c8p-62}, /* 8 */
    {0x1.9078ad6a19efp-8, -0x1.1dfea2857f2aep-65}, /* 9 */
    {0x1.bd1e77170b416p-8, -0x1.89d99de14a55p-64}, /* 10 */
    {0x1.e9cbfe113eec8p-8, -0x1.1f5239bf53559p-63}, /* 11 */
    {0x1.0b40a1d81406dp-7, 0x1.033bc0eac529ap-61}, /* 12 */
    {0x1.219f24a5baa5ap-7, -0x1.4aa16278aa31cp-62}, /* 13 */
    {0x1.3801881d886f8p-7, -0x1.05dea36c3afb4p-61}, /* 14 */
    {0x1.4e67cceb90503p-7, -0x1.b34456fd35d8bp-62}, /* 15 */
    {0x1.64d1f3bc03077p-7, 0x1.bdf2b293de8a7p-62}, /* 16 */
    {0x1.7b3ffd3b2f2e4p-7, 0x1.c93c58909e065p-61}, /* 17 */
    {0x1.91b1ea15813cp-7, -0x1.5729e129fe9adp-62}, /* 18 */
    {0x1.a827baf7838b8p-7, -0x1.e88b8d43329dcp-61}, /* 19 */
    {0x1.bea1708dde605p-7, 0x1.6811eeade11a4p-61}, /* 20 */
    {0x1.d51f0b8557ec2p-7, -0x1.a93c1b824d2cbp-62}, /* 21 */
    {0x1.eba08c8ad4537p-7, -0x1.ff8c2457133e6p-65}, /* 22 */
    {0x1.0112fa25aad9ap-6, -0x1.1e2913831fef2p-61}, /* 23 */
    {0x1.0c57a1b9fe12fp-6, 0x1.738f9a20da47ep-60}, /* 24 */
    {0x1.179e3d5902e45p-6, -0x1.486f2a1622cbbp-61}, /* 25 */
    {0x1.22e6cd5967602p-6, 0x1.0e6a9eaf45b3p-60}, /* 26 */
    {0x1.2e315211e89f8p-6, 0x1.866da7fbb8503p-60}, /* 27 */
    {0x1.397dcbd952c4ap-6, 0x1.86f27541a119p-60}, /* 28 */
    {0x1.44cc3b0680fd8p-6, -0x1.95d07718d6ea1p-60}, /* 29 */
    {0x1.501c9ff05d865p-6, 0x1.0d476d1f9884ap-60}, /* 30 */
    {0x1.5b6efaede1ac8p-6, 0x1.b21d0cdddb22ep-61}, /* 31 */
};

/* x = n ln2/1024 + r for |x.hi| <= 2^30: RN(1024/ln2), and
 * ln2/1024 = C1 + C2 + C3 + d with |d| < 2^-173.
 *
 * n = round(RN(x.hi 1024/ln2)), |n| < 2^41, off the exact x 1024/ln2 by at
 * most 1/2 + 2^-11.4 (the product's rounding at 2^40.5) plus |x.lo|/(ln2/1024),
 * so |r| <= rho_e = 0.00033912 (< 2^-11.5).  n C1 and n C2 are exact
 * two-products, x.hi - n C1 an exact two_sum, the low parts are summed by
 * two_sum and dd_add (3.01 u^2 of less than 2^-21.7), n C3 + p2.lo is
 * rounded (2^-128): |rhat - r| <= 3.01 u^2 |r| + 2^-125.  That is 0.0011 u^2
 * relative in e^x and, since |e^x - 1| >= |r| where n != 0, at most
 * 3.02 u^2 relative in e^x - 1.  n = 0: r = x, exact. */
#define EXP_INV 0x1.71547652b82fep+10
#define EXP_C1 0x1.62e42fefa39efp-11
#define EXP_C2 0x1.abc9e3b39803fp-66
#define EXP_C3 0x1.7b57a079a1934p-121

static dd exp_reduce(dd x, double *np)
{
    double n = (x.hi * EXP_INV + SHIFT) - SHIFT;
    *np = n;
    if (n == 0.0)
        return x;
    dd p1 = dd_two_prod(n, EXP_C1);
    dd p2 = dd_two_prod(n, EXP_C2);
    dd a = dd_two_sum(x.hi, -p1.hi);
    dd b = dd_two_sum(x.lo, -p1.lo);
    dd c = dd_two_sum(-p2.hi, -(p2.lo + n * EXP_C3));
    return dd_add(a, dd_add(b, c));
}

/* 1/6, 1/24, 1/120 as double-doubles */
static const dd EC6 = {0x1.5555555555555p-3, 0x1.5555555555555p-57};
static const dd EC24 = {0x1.5555555555555p-5, 0x1.5555555555555p-59};
static const dd EC120 = {0x1.1111111111111p-7, 0x1.1111111111111p-63};

/* e^r - 1 for |r| <= rho_e, relative error < 3.06 u^2.
 *
 * h = r.hi, l = r.lo: e^r - 1 = r + h^2 A2(h) + l (e^h - 1) + O(l^2), with
 * A2 = 1/2 + h/6 + h^2/24 + ... + h^6/8! (the rest of the series is below
 * rho_e^8/9! |r| = 2^-110.5 |r|) and l (e^h - 1) taken as RN(l (h + q.hi)).
 * A2 is split as 1/2 + h p1 + h^3 p2, p1 = 1/6 + h/24, p2 = 1/120 + h t2
 * (t2 in double), so that no term waits for a long Horner chain.  Errors in
 * A2 (absolute): 1/2 + x by add_small, 1.5 u^2; x = h p1 + h^3 p2, a few u^2
 * of |x| < 2^-14 and p2 off by 2^-73 weighted h^3; in all < 1.6 u^2, which
 * counts |h| times relative to r.  q = dd_mul(h^2, A2): 7 u^2 of
 * |q| < 2^-12.4 |r|.  The final add_small(r, q): 3.001 u^2.  Total < 3.06 u^2;
 * with the reduction's error (n != 0) < 6.08 u^2 of |e^r - 1|, which is
 * < 0.0023 u^2 absolute. */
static dd expm1_poly(dd r)
{
    double h = r.hi;
    dd h2 = dd_two_prod(h, h);
    dd h3 = dd_mul_d(h2, h);
    double t2 = 0x1.6c16c16c16c17p-10 /* 1/720 */
                + h * (0x1.a01a01a01a01ap-13 /* 1/5040 */ + h * 0x1.a01a01a01a01ap-16 /* 1/40320 */);
    dd p1 = add_small(EC6, dd_mul_d(EC24, h));             /* 1/6 + h/24 */
    dd p2 = add_small(EC120, dd_from(h * t2));              /* 1/120 + h/720 + ... */
    dd x = add_small(dd_mul_d(p1, h), dd_mul(h3, p2));      /* h/6 + h^2/24 + h^3/120 ... */
    dd a2 = add_small(dd_from(0.5), x);
    dd q = dd_mul(h2, a2);                                  /* e^h - 1 - h */
    q.lo += r.lo * (h + q.hi);                              /* + l (e^h - 1) */
    return add_small(r, q);
}

/* e^x = 2^k 2^(j1/32) (1 + D2(j2)) (1 + em), returns em = e^r - 1. */
static dd exp_split(dd x, int *k, int *j1, int *j2)
{
    double n;
    dd r = exp_reduce(x, &n);
    int64_t ni = (int64_t)n;
    int j = (int)(ni & 1023); /* two's complement: n mod 1024 */
    *k = (int)((ni - j) / 1024);
    *j1 = j >> 5;
    *j2 = j & 31;
    return expm1_poly(r);
}

/* e^x = m 2^k, |x.hi| <= 2^30, m in [0.9996, 2.0008], relative error < 7.2 u^2.
 *
 * e12 = E1 + E1 D2 (= 2^(j/1024) up to the table roundings): E1 and D2 off
 * by u^2 of themselves (1 u^2 of e12), dd_mul 7 u^2 of E1 D2 <= 0.0212 E1
 * (0.145 u^2), add_small 3 u^2 (one sign): 4.145 u^2; e12 = E1 (u^2) when
 * j2 = 0.  m = e12 + e12 em: e12's error, em's 0.0023 u^2, dd_mul 7 u^2 of
 * |e12 em| <= 2^-11.4 e12, add_small with beta <= 2^-11.4 (3.001 u^2):
 * < 7.16 u^2.  e12 waits only for the table loads, so the CPU computes it
 * during the polynomial. */
static dd exp_mant(dd x, int *k)
{
    int j1, j2;
    dd em = exp_split(x, k, &j1, &j2);
    dd e12 = EXP_T1[j1].e;
    if (j2 != 0)
        e12 = add_small(e12, dd_mul(e12, EXP_D2[j2]));
    return add_small(e12, dd_mul(e12, em));
}

xdd geom_exp_xdd(dd x)
{
    if (!(fabs(x.hi) <= 0x1p30)) {
        xdd r = {x.hi > 0.0 ? INFINITY : x.hi < 0.0 ? 0.0 : NAN, 0.0, 0};
        return r;
    }
    int k;
    dd m = exp_mant(x, &k);
    return xdd_norm(m, k);
}

dd geom_exp_dd(dd x)
{
    if (!(x.hi <= 709.79)) { /* beyond ln DBL_MAX = 709.78271; or NaN */
        dd r = {x.hi > 0.0 ? INFINITY : NAN, x.hi > 0.0 ? 0.0 : NAN};
        return r;
    }
    if (x.hi < -746.0) /* e^x < 2^-1076 */
        return dd_from(0.0);
    int k;
    dd m = exp_mant(x, &k);
    dd r = dd_ldexp(m, k); /* ldexp rounds once where it underflows */
    if (r.hi == INFINITY)
        r.lo = 0.0;
    return r;
}

/* e^x - 1 for 2^-54 <= x < ln 2, relative error < 14.3 u^2.
 *
 * n is in [0, 1024].  n = 0: em (3.06 u^2).  n = 1024 (k = 1): 2 e^r - 1 =
 * 1 + 2 em, em < 2^-11.4 (6.08 u^2 of it) then dd_add_d: < 2.01 u^2.
 * Otherwise k = 0, and z = 2^(j2/1024) e^r - 1 = D2 + em (1 + D2):
 * w = em (1 + D2) within 6.08 + 0.145 + 3 = 9.23 u^2 of itself, then
 * dd_add(D2, w), which may cancel by half when em < 0: for j2 = 1, |em| <=
 * 0.0003392, D2 = 0.00067713, z >= 0.0003379, error
 * (D2 + 9.23 |w| + 3.01 |z|)/|z| < 14.3 u^2 (j2 >= 2: < 7.4).  j1 = 0: z.
 * j1 >= 1: D1 + z (1 + D1) with D1 >= 0.0219 and |z| < 0.0219, z's absolute
 * error < 0.091 u^2, the terms of one sign or |z| < D1/60: < 7.2 u^2. */
static dd expm1_small(dd x)
{
    int k, j1, j2;
    dd em = exp_split(x, &k, &j1, &j2);
    if (k != 0) /* n = 1024: e^x - 1 = 2 e^r - 1 */
        return dd_add_d(dd_ldexp(em, 1), 1.0);
    dd z = em; /* 2^(j2/1024) e^r - 1 = D2 + em (1 + D2) */
    if (j2 != 0) {
        dd d2 = EXP_D2[j2];
        z = dd_add(d2, add_small(em, dd_mul(em, d2)));
    }
    if (j1 == 0)
        return z;
    dd d1 = EXP_T1[j1].d; /* 2^(j1/32) (1 + z) - 1 = D1 + z (1 + D1) */
    return dd_add(d1, dd_add(z, dd_mul(d1, z)));
}

/* 1/b for normalised b > 0, one division and a Newton correction, error
 * < 10.1 u^2: y0 = RN(1/b.hi) = (1 + d0)/b.hi, |d0| <= u; e_true = 1 - b y0 =
 * -d0 - b.lo y0, |e_true| <= 2.01 u; e = RN(fma(-b.hi, y0, 1) - RN(b.lo y0))
 * is within u^2 + u^2 + 2 u^2 of it; 1/b = y0 (1 + e_true + e_true^2 + ...)
 * and y0 + RN(y0 e) misses e_true - e (4 u^2), e_true^2 (4.05 u^2) and the
 * rounding (2.01 u^2), relative to |y0| <= (1 + u)/b.  Half the latency of
 * dd_div. */
static dd dd_recip(dd b)
{
    double y0 = 1.0 / b.hi;
    double e = fma(-b.hi, y0, 1.0) - b.lo * y0;
    return dd_fast_two_sum(y0, y0 * e);
}

/* sinh and cosh, |x| <= 2^30, by symmetry from x >= 0.
 *
 *   cosh, x < 40: (E + E')/2, E = e^x from exp_mant (7.16 u^2), E' = e^-x =
 *     2^-k/m by dd_recip (7.16 + 10.1 u^2), both scaled exactly, one dd_add
 *     of positive terms with E' <= E: 7.16 + 10.1/2 + 3.01 < 15.3 u^2.
 *   sinh, ln2 <= x < 40: (E - E')/2 cancels at most (E + E')/(E - E') <= 5/3
 *     (E >= 2): (2 * 7.16 + 0.5 * 17.26)/1.5 + 3.01 < 18.4 u^2.
 *   x >= 40: E/2 for both (e^-2x < 2^-115): < 7.2 u^2.
 *   sinh, 2^-54 <= x < ln2: E1 = e^x - 1 (expm1_small, eps1 < 14.3 u^2),
 *     B = 1 + E1 (dd_add_d, 2 u^2), Q = E1/B = 1 - e^-x (dd_div, 12.1 u^2),
 *     sinh = (E1 + Q)/2.  Q's relative error is eps1/(1 + E1) + 2 + 12.1, and
 *     Q/(E1 + Q) = 1/(2 + E1), so the sum is within
 *     eps1 + (2 + 12.1)/2 + 3.01 < 24.4 u^2.
 *   sinh, x < 2^-54: x (x^3/6 < 2^-110 x). */
static xdd sinh_cosh(dd x, int want_sinh)
{
    int neg = x.hi < 0.0;
    if (neg)
        x = dd_neg(x);
    if (!(x.hi <= 0x1p30)) { /* huge or NaN */
        xdd r = {x.hi > 0.0 ? (neg && want_sinh ? -INFINITY : INFINITY) : NAN, 0.0, 0};
        return r;
    }
    xdd res;
    if (want_sinh && x.hi < 0x1p-54) {
        res = xdd_from_dd(x);
    } else if (want_sinh && x.hi < LN2.hi) {
        dd e1 = expm1_small(x);
        dd q = dd_div(e1, dd_add_d(e1, 1.0));
        res = xdd_from_dd(dd_ldexp(dd_add(e1, q), -1));
    } else if (x.hi >= 40.0) {
        int k;
        dd m = exp_mant(x, &k);
        res = xdd_norm(m, k - 1);
    } else { /* e^-x = 2^-k / m */
        int k;
        dd m = exp_mant(x, &k);
        dd e = dd_ldexp(m, k - 1), ei = dd_ldexp(dd_recip(m), -k - 1);
        res = xdd_from_dd(want_sinh ? dd_sub(e, ei) : dd_add(e, ei));
    }
    return neg && want_sinh ? xdd_neg(res) : res;
}

xdd geom_sinh_xdd(dd x) { return sinh_cosh(x, 1); }

xdd geom_cosh_xdd(dd x) { return sinh_cosh(x, 0); }
