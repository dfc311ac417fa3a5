/*
 * cmd_plot.c — `hyperstore plot`: a store drawn in the Poincaré disk as SVG
 * (the geometry, projection and label choice are in plot.h / plot.c).
 *
 * The SVG draws the disk with radius PLOT_UNIT user units (y flipped so the
 * picture reads as the math does; not radius 1, because renderers hint and
 * rasterise text badly at font sizes far below one unit), one <circle> per point
 * with its label as <title> (a tooltip in a browser), edges as <path>s of
 * one arc or one segment each.  It is written to FILE.tmp and renamed, so a
 * failed run leaves nothing behind.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "fixed_mp.h"
#include "hyp_fixed.h"
#include "plot.h"
#include "store_cli.h"

const char cmd_plot_usage[] =
    "usage: hyperstore plot STORE -o FILE.svg [--edges] [--labels N] [--focus LABEL]\n"
    "                       [--size PX]\n"
    "\n"
    "Draws the points of STORE in the Poincaré disk as an SVG picture.\n"
    "  dim 2     exactly: each point's Poincaré coordinates.\n"
    "  dim > 2   the log map at the centre, projected on the two principal\n"
    "            directions of those tangent vectors, then mapped back into the\n"
    "            disk: radii and angles at the centre are kept for points in that\n"
    "            plane, and no point moves away from the centre.\n"
    "Points beyond radius ~37.4 (on the rim in binary64) are drawn on the rim.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE  the SVG file ('-': standard output)\n"
    "  --edges            draw the hierarchy edges as geodesics (circle arcs\n"
    "                     orthogonal to the rim, or segments through the centre)\n"
    "  --labels N         write the labels of the N most general points (smallest\n"
    "                     radius, compared exactly; ties by label); default 0\n"
    "  --focus LABEL      recentre on LABEL first (the isometry that maps it to the\n"
    "                     centre, computed in MPFR); its label is written too\n"
    "  --size PX          width and height of the picture (default 800)\n"
    "  -h, --help         show this help\n";

/* The disk's radius in SVG user units. */
#define PLOT_UNIT 500.0
#define PLOT_FONT 17.0 /* label font size, user units */

struct plot_opts {
    const char *store, *out, *focus;
    int edges;
    unsigned long labels, size;
};

static int parse_args(int argc, char **argv, struct plot_opts *o)
{
    const char *labels = NULL, *size = NULL;
    o->size = 800;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int m;
        if (cli_is_help(arg)) {
            fputs(cmd_plot_usage, stdout);
            return -1;
        }
        if (strcmp(arg, "-o") == 0) {
            if (i + 1 >= argc)
                return cli_usage_error("plot", "-o needs a value");
            o->out = argv[++i];
            continue;
        }
        if ((m = cli_option_value("plot", argc, argv, &i, "--output", &o->out)) ||
            (m = cli_option_value("plot", argc, argv, &i, "--labels", &labels)) ||
            (m = cli_option_value("plot", argc, argv, &i, "--focus", &o->focus)) ||
            (m = cli_option_value("plot", argc, argv, &i, "--size", &size))) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            continue;
        }
        if ((m = cli_option_flag("plot", arg, "--edges")) != 0) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            o->edges = 1;
            continue;
        }
        if (arg[0] == '-' && arg[1] != '\0')
            return cli_usage_error("plot", "unknown option '%s'", arg);
        if (o->store != NULL)
            return cli_usage_error("plot", "unexpected argument '%s'", arg);
        o->store = arg;
    }
    if (o->store == NULL)
        return cli_usage_error("plot", "expected STORE");
    if (o->out == NULL)
        return cli_usage_error("plot", "expected -o FILE.svg");
    unsigned long long v;
    if (labels) {
        if (scli_parse_u64(labels, &v) != 0 || v > 1000000)
            return cli_usage_error("plot", "--labels needs an integer from 0 to 1000000");
        o->labels = (unsigned long)v;
    }
    if (size) {
        if (scli_parse_u64(size, &v) != 0 || v < 16 || v > 100000)
            return cli_usage_error("plot", "--size needs an integer from 16 to 100000");
        o->size = (unsigned long)v;
    }
    return 0;
}

/* Everything read from the store, in id order. */
struct scene {
    hyp_model model;      /* of pts: the store's, or Lorentz for a fixed store */
    size_t dim, width, count, cap;
    hyp_repr repr;        /* the store's */
    hyp_model stored;     /* the store's model */
    unsigned char *words; /* a fixed store: every point's decoded words */
    size_t wbytes, wcap;  /* bytes of one point's words; points words holds */
    uint64_t *id;
    char **label;
    size_t *len;
    double *pts;    /* count * width, as stored */
    double *xs;     /* count * dim, Lorentz spatial parts (recentred) */
    double *radius; /* stored radius */
    double *disk;   /* count * 2 */
    unsigned char *ok; /* 0: not drawable (reported) */
    size_t nedges, edge_cap;
    size_t *edge;   /* pairs of indexes child, parent */
};

static void scene_free(struct scene *s)
{
    for (size_t i = 0; i < s->count; i++)
        free(s->label[i]);
    free(s->id);
    free(s->label);
    free(s->len);
    free(s->pts);
    free(s->words);
    free(s->xs);
    free(s->radius);
    free(s->disk);
    free(s->ok);
    free(s->edge);
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap * 2 : 256;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * size);
    if (q == NULL)
        return -1;
    *p = q;
    *cap = n;
    return 0;
}

static int take_point(void *ctx, uint64_t id, const char *label, size_t len,
                      const unsigned char *bytes)
{
    struct scene *s = ctx;
    if (s->count == s->cap) {
        size_t cap = s->cap, c2 = s->cap, c3 = s->cap, c4 = s->cap;
        if (grow((void **)&s->id, &cap, s->count + 1, sizeof *s->id) ||
            grow((void **)&s->label, &c2, s->count + 1, sizeof *s->label) ||
            grow((void **)&s->len, &c3, s->count + 1, sizeof *s->len) ||
            grow((void **)&s->pts, &c4, s->count + 1, s->width * sizeof *s->pts))
            return ENOMEM;
        s->cap = cap;
    }
    char *l = malloc(len + 1);
    if (l == NULL)
        return ENOMEM;
    memcpy(l, label, len);
    l[len] = '\0';
    s->id[s->count] = id;
    s->label[s->count] = l;
    s->len[s->count] = len;
    double *x = s->pts + s->count * s->width;
    s->count++;
    if (s->repr == HYP_REPR_F64) {
        hyp_f64_decode(bytes, s->width, x);
        return 0;
    }
    /* A fixed store: its correctly rounded Lorentz image, which every point
     * has (a deep q128 Poincaré point has no binary64 Poincaré one); the
     * words are kept for the recentring (exact_spatial). */
    hyp_fixed_format f = (hyp_fixed_format)s->repr;
    if (grow((void **)&s->words, &s->wcap, s->count, s->wbytes))
        return ENOMEM;
    void *w = s->words + (s->count - 1) * s->wbytes;
    int rc = hyp_fixed_decode(f, s->stored, s->dim, bytes, w);
    if (rc == HYP_OK)
        rc = hyp_fixed_lorentz_spatial(f, s->stored, s->dim, w, x + 1);
    return rc != HYP_OK ? rc : hyp_lorentz_lift(s->dim, x + 1, x);
}

/* plot_exact's source for a fixed store: the Lorentz spatial part of point
 * k from its words, at out's precision (Poincaré x_s = 2x / (1 - |x|^2)). */
static void exact_spatial(void *ctx, size_t k, mpfr_t *out)
{
    const struct scene *s = ctx;
    hyp_fixed_format f = (hyp_fixed_format)s->repr;
    const void *w = s->words + k * s->wbytes;
    for (size_t i = 0; i < s->dim; i++)
        fixed_mp_value(f, s->stored, w, i, out[i]);
    if (s->stored != HYP_POINCARE)
        return;
    mpfr_t d;
    mpfr_init2(d, mpfr_get_prec(out[0]));
    mpfr_set_ui(d, 1, MPFR_RNDN);
    for (size_t i = 0; i < s->dim; i++) {
        mpfr_fms(d, out[i], out[i], d, MPFR_RNDN); /* x_i^2 - d ... */
        mpfr_neg(d, d, MPFR_RNDN);                 /* ... so d - x_i^2 */
    }
    for (size_t i = 0; i < s->dim; i++) {
        mpfr_mul_2ui(out[i], out[i], 1, MPFR_RNDN);
        mpfr_div(out[i], out[i], d, MPFR_RNDN);
    }
    mpfr_clear(d);
}

/* The index of an id (ids ascend: hyp_read_foreach walks in id order). */
static size_t index_of(const struct scene *s, uint64_t id)
{
    size_t lo = 0, hi = s->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->id[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->count && s->id[lo] == id ? lo : (size_t)-1;
}

static int take_edge(void *ctx, uint64_t child, uint64_t parent)
{
    struct scene *s = ctx;
    size_t c = index_of(s, child), p = index_of(s, parent);
    if (c == (size_t)-1 || p == (size_t)-1)
        return 0; /* cannot happen in a verified store; nothing to draw */
    if (grow((void **)&s->edge, &s->edge_cap, 2 * (s->nedges + 1), sizeof *s->edge))
        return ENOMEM;
    s->edge[2 * s->nedges] = c;
    s->edge[2 * s->nedges + 1] = p;
    s->nedges++;
    return 0;
}

static int load(const struct plot_opts *o, struct scene *sc)
{
    hyp_store *s = NULL;
    hyp_read *r = NULL;
    hyp_store_info info;
    int st = scli_open("plot", o->store, HYP_STORE_RDONLY, &s);
    if (st != 0) {
        hyp_store_close(s);
        return st;
    }
    int rc = hyp_store_get_info(s, &info);
    if (rc == HYP_OK) {
        sc->stored = info.model;
        sc->repr = info.repr;
        sc->model = info.repr == HYP_REPR_F64 ? info.model : HYP_LORENTZ;
        sc->dim = info.dim;
        sc->width = hyp_model_width(sc->model, info.dim);
        sc->wbytes = info.point_bytes; /* decoded words: the same size */
        if (info.dim < 2) {
            fprintf(stderr, "hyperstore plot: the store has dimension 1; nothing to draw "
                            "in a disk\n");
            hyp_store_close(s);
            return CLI_EXIT_REJECTED;
        }
        rc = hyp_read_begin(s, &r);
    }
    if (rc == HYP_OK)
        rc = hyp_read_foreach(r, take_point, sc);
    if (rc == HYP_OK && o->edges)
        rc = hyp_read_foreach_edge(r, take_edge, sc);
    hyp_read_end(r);
    if (rc != HYP_OK)
        st = scli_fail("plot", s, rc, "reading the store");
    hyp_store_close(s);
    return st;
}

static void report_point(const struct scene *sc, size_t i, const char *what, int rc)
{
    char shown[300];
    scli_quote(sc->label[i], sc->len[i], shown, sizeof shown);
    fprintf(stderr, "hyperstore plot: point \"%s\" %s: %s\n", shown, what, hyp_strerror(rc));
}

/* Lorentz spatial parts and stored radii; a point that is not one is
 * reported and left out.  Returns the exit status so far. */
static int spatial_parts(struct scene *sc, double *rmax)
{
    size_t n = sc->dim;
    int st = CLI_EXIT_OK;
    double *x = malloc((n + 1) * sizeof *x);
    sc->xs = malloc((sc->count ? sc->count : 1) * n * sizeof *sc->xs);
    sc->radius = malloc((sc->count ? sc->count : 1) * sizeof *sc->radius);
    sc->ok = calloc(sc->count ? sc->count : 1, 1);
    if (x == NULL || sc->xs == NULL || sc->radius == NULL || sc->ok == NULL) {
        free(x);
        return CLI_EXIT_INTERNAL;
    }
    *rmax = 0;
    for (size_t i = 0; i < sc->count; i++) {
        const double *p = sc->pts + i * sc->width;
        int rc = hyp_radius(sc->model, n, p, &sc->radius[i]);
        if (rc == HYP_OK)
            rc = sc->model == HYP_LORENTZ ? HYP_OK
                                          : hyp_convert(sc->model, HYP_LORENTZ, n, p, x);
        if (rc != HYP_OK) {
            report_point(sc, i, "cannot be drawn", rc);
            st = CLI_EXIT_REJECTED;
            continue;
        }
        memcpy(sc->xs + i * n, sc->model == HYP_LORENTZ ? p + 1 : x + 1, n * sizeof *x);
        sc->ok[i] = 1;
        if (sc->radius[i] > *rmax)
            *rmax = sc->radius[i];
    }
    free(x);
    return st;
}

static int find_label(const struct scene *sc, const char *label)
{
    size_t len = strlen(label);
    for (size_t i = 0; i < sc->count; i++)
        if (sc->len[i] == len && memcmp(sc->label[i], label, len) == 0)
            return (int)i;
    return -1;
}

/* Disk positions of the drawable points (plot.h, step 2). */
static int place(struct scene *sc, const char **projection)
{
    size_t n = sc->dim;
    double *axes = NULL, *v = NULL;
    int st = CLI_EXIT_OK;
    if ((sc->disk = calloc(2 * (sc->count ? sc->count : 1), sizeof *sc->disk)) == NULL)
        return CLI_EXIT_INTERNAL;
    *projection = "none (dim 2: exact)";
    if (n > 2) {
        *projection = "log map at the centre, two principal directions";
        axes = malloc(2 * n * sizeof *axes);
        v = calloc((sc->count ? sc->count : 1) * n, sizeof *v);
        if (axes == NULL || v == NULL) {
            st = CLI_EXIT_INTERNAL;
            goto out;
        }
        for (size_t i = 0; i < sc->count; i++)
            if (sc->ok[i] && plot_log0(n, sc->xs + i * n, v + i * n) != HYP_OK)
                memset(v + i * n, 0, n * sizeof *v); /* reported below */
        if (plot_axes(n, v, sc->count, axes) != 0) {
            st = CLI_EXIT_INTERNAL;
            goto out;
        }
    }
    for (size_t i = 0; i < sc->count; i++) {
        if (!sc->ok[i])
            continue;
        int rc = plot_disk_point(n, sc->xs + i * n, axes, sc->disk + 2 * i);
        if (rc == ENOMEM) {
            st = CLI_EXIT_INTERNAL;
            goto out;
        }
        if (rc != HYP_OK) {
            report_point(sc, i, "cannot be placed", rc);
            sc->ok[i] = 0;
            st = CLI_EXIT_REJECTED;
        }
    }
out:
    free(axes);
    free(v);
    return st;
}

/* Writes label bytes as XML character data; U+FFFE and U+FFFF, valid in a
 * label but not in XML 1.0, become U+FFFD. */
static void xml_text(FILE *f, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '&')
            fputs("&amp;", f);
        else if (c == '<')
            fputs("&lt;", f);
        else if (c == '>')
            fputs("&gt;", f);
        else if (c == '"')
            fputs("&quot;", f);
        else if (c == 0xEF && i + 2 < len && (unsigned char)s[i + 1] == 0xBF &&
                 ((unsigned char)s[i + 2] == 0xBE || (unsigned char)s[i + 2] == 0xBF)) {
            fputs("\xEF\xBF\xBD", f);
            i += 2;
        } else
            fputc(c, f);
    }
}

/* A colour from general (dark blue, radius 0) to specific (orange, rmax). */
static void colour(FILE *f, double t)
{
    if (!(t >= 0))
        t = 0;
    if (t > 1)
        t = 1;
    int r = (int)lround(30 + t * (230 - 30)), g = (int)lround(60 + t * (120 - 60)),
        b = (int)lround(160 + t * (30 - 160));
    fprintf(f, "#%02x%02x%02x", r, g, b);
}

struct svg_info {
    const char *projection;
    int focus;      /* index or -1 */
    size_t *order;  /* labelled points, most general first */
    size_t nlabels;
    plot_label *spots; /* where each label's text goes */
    long crowded;   /* labels that found no free spot */
    double rmax;
    size_t drawn_points, drawn_edges;
};

static void write_svg(FILE *f, const struct plot_opts *o, struct scene *sc, struct svg_info *si)
{
    const double *d = sc->disk, U = PLOT_UNIT;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%lu\" height=\"%lu\" "
               "viewBox=\"-540 -540 1080 1080\">\n",
            o->size, o->size);
    fputs("<title>hyperstore plot: ", f);
    xml_text(f, o->store, strlen(o->store));
    fputs("</title>\n", f);
    fprintf(f, "<desc>model %s, dim %zu, %zu points; projection: %s; focus: ",
            hyp_model_name(sc->model), sc->dim, sc->count, si->projection);
    if (si->focus >= 0)
        xml_text(f, sc->label[si->focus], sc->len[si->focus]);
    else
        fputs("none", f);
    fputs("</desc>\n", f);
    fputs("<rect x=\"-540\" y=\"-540\" width=\"1080\" height=\"1080\" fill=\"white\"/>\n"
          "<circle class=\"rim\" cx=\"0\" cy=\"0\" r=\"500\" fill=\"#f6f7fb\" stroke=\"#333\" "
          "stroke-width=\"2\"/>\n",
          f);
    if (o->edges) {
        fputs("<g class=\"edges\" fill=\"none\" stroke=\"#7f8fb0\" stroke-width=\"1.2\" "
              "stroke-opacity=\"0.7\">\n",
              f);
        for (size_t k = 0; k < sc->nedges; k++) {
            size_t c = sc->edge[2 * k], p = sc->edge[2 * k + 1];
            if (!sc->ok[c] || !sc->ok[p])
                continue;
            const double *a = d + 2 * c, *b = d + 2 * p;
            plot_arc arc;
            plot_geodesic(a, b, &arc);
            /* SVG's y points down: y is negated, which turns a counter-
             * clockwise arc into one of negative angle (sweep-flag 0). */
            if (arc.straight)
                fprintf(f, "<path d=\"M %.4f %.4f L %.4f %.4f\"/>\n", U * a[0], -U * a[1],
                        U * b[0], -U * b[1]);
            else
                fprintf(f, "<path d=\"M %.4f %.4f A %.9g %.9g 0 0 %d %.4f %.4f\"/>\n", U * a[0],
                        -U * a[1], U * arc.r, U * arc.r, arc.ccw ? 0 : 1, U * b[0], -U * b[1]);
            si->drawn_edges++;
        }
        fputs("</g>\n", f);
    }
    double pr = sc->count <= 2000 ? 4 : 2;
    fputs("<g class=\"points\" stroke=\"none\">\n", f);
    for (size_t i = 0; i < sc->count; i++) {
        if (!sc->ok[i])
            continue;
        fprintf(f, "<circle cx=\"%.4f\" cy=\"%.4f\" r=\"%g\" fill=\"", U * d[2 * i],
                -U * d[2 * i + 1],
                (int)i == si->focus ? 2 * pr : pr);
        colour(f, si->rmax > 0 ? sc->radius[i] / si->rmax : 0);
        fputs("\"><title>", f);
        xml_text(f, sc->label[i], sc->len[i]);
        fputs("</title></circle>\n", f);
        si->drawn_points++;
    }
    fputs("</g>\n", f);
    if (si->nlabels > 0) {
        /* A white halo (paint-order) keeps labels readable over edges. */
        fprintf(f, "<g class=\"labels\" font-family=\"sans-serif\" font-size=\"%g\" "
                   "fill=\"#111\" stroke=\"white\" stroke-width=\"4\" "
                   "paint-order=\"stroke\">\n",
                PLOT_FONT);
        for (size_t k = 0; k < si->nlabels; k++) {
            size_t i = si->order[k];
            const plot_label *l = &si->spots[k];
            fprintf(f, "<text x=\"%.4f\" y=\"%.4f\"%s>", l->x, l->y,
                    l->end ? " text-anchor=\"end\"" : "");
            xml_text(f, sc->label[i], sc->len[i]);
            fputs("</text>\n", f);
        }
        fputs("</g>\n", f);
    }
    fputs("</svg>\n", f);
}

/* Writes the picture to o->out (via OUT.tmp and a rename) or stdout. */
static int output(const struct plot_opts *o, struct scene *sc, struct svg_info *si)
{
    if (strcmp(o->out, "-") == 0) {
        write_svg(stdout, o, sc, si);
        return CLI_EXIT_OK;
    }
    FILE *f;
    char *tmp;
    int st = cli_out_open("plot", o->out, &f, &tmp);
    if (st != CLI_EXIT_OK)
        return st;
    write_svg(f, o, sc, si);
    return cli_out_close("plot", o->out, f, tmp, 0);
}

/* The labelled points: the N most general drawable ones, and the focus. */
static int choose_labels(const struct plot_opts *o, struct scene *sc, struct svg_info *si)
{
    size_t m = 0;
    si->order = malloc((sc->count + 1) * sizeof *si->order);
    if (si->order == NULL)
        return CLI_EXIT_INTERNAL;
    for (size_t i = 0; i < sc->count; i++)
        if (sc->ok[i])
            si->order[m++] = i;
    if (o->labels > 0) {
        int rc = plot_most_general(sc->model, sc->dim, sc->pts, sc->label, sc->len, si->order,
                                   m);
        if (rc != 0) /* every point here passed hyp_radius: only ENOMEM */
            return CLI_EXIT_INTERNAL;
    }
    si->nlabels = o->labels < m ? o->labels : m;
    if (si->focus >= 0) {
        size_t k = 0;
        while (k < si->nlabels && si->order[k] != (size_t)si->focus)
            k++;
        if (k == si->nlabels)
            si->order[si->nlabels++] = (size_t)si->focus;
    }
    /* Spots for the texts (plot_place_labels), in the SVG's units: the disk
     * has radius PLOT_UNIT, y points down, the picture is 1080 wide. */
    double *at = malloc((si->nlabels + 1) * 2 * sizeof *at);
    size_t *chars = malloc((si->nlabels + 1) * sizeof *chars);
    si->spots = malloc((si->nlabels + 1) * sizeof *si->spots);
    if (at == NULL || chars == NULL || si->spots == NULL) {
        free(at);
        free(chars);
        return CLI_EXIT_INTERNAL;
    }
    for (size_t k = 0; k < si->nlabels; k++) {
        size_t i = si->order[k];
        at[2 * k] = PLOT_UNIT * sc->disk[2 * i];
        at[2 * k + 1] = -PLOT_UNIT * sc->disk[2 * i + 1];
        chars[k] = 0;
        for (size_t b = 0; b < sc->len[i]; b++) /* UTF-8: count the lead bytes */
            chars[k] += ((unsigned char)sc->label[i][b] & 0xc0) != 0x80;
    }
    si->crowded = plot_place_labels(si->nlabels, at, chars, PLOT_FONT, 540, si->spots);
    free(at);
    free(chars);
    return si->crowded < 0 ? CLI_EXIT_INTERNAL : CLI_EXIT_OK;
}

int cmd_plot(int argc, char **argv)
{
    struct plot_opts o = { 0 };
    int st = parse_args(argc, argv, &o);
    if (st != 0)
        return st < 0 ? CLI_EXIT_OK : st;
    struct scene sc = { 0 };
    struct svg_info si = { 0 };
    si.focus = -1;
    double rmax = 0;
    if ((st = load(&o, &sc)) != CLI_EXIT_OK) {
        scene_free(&sc);
        return st;
    }
    st = spatial_parts(&sc, &rmax);
    if (st == CLI_EXIT_INTERNAL)
        goto out;
    si.rmax = rmax;
    if (o.focus != NULL) {
        si.focus = find_label(&sc, o.focus);
        if (si.focus < 0 || !sc.ok[si.focus]) {
            char shown[300];
            scli_quote(o.focus, strlen(o.focus), shown, sizeof shown);
            fprintf(stderr, "hyperstore plot: no point labelled \"%s\"%s\n", shown,
                    si.focus < 0 ? "" : " that can be drawn");
            st = CLI_EXIT_REJECTED;
            goto out;
        }
        double *p = malloc(sc.dim * sizeof *p);
        if (p == NULL) {
            st = CLI_EXIT_INTERNAL;
            goto out;
        }
        memcpy(p, sc.xs + (size_t)si.focus * sc.dim, sc.dim * sizeof *p);
        /* Points not drawable hold garbage in xs; zero them so the boost
         * stays finite (they are skipped anyway). */
        for (size_t i = 0; i < sc.count; i++)
            if (!sc.ok[i])
                memset(sc.xs + i * sc.dim, 0, sc.dim * sizeof *sc.xs);
        /* A fixed store's points are boosted from their exact words. */
        plot_exact ex = { exact_spatial, &sc, (size_t)si.focus };
        int rc = plot_recentre(sc.dim, p, rmax, sc.xs, sc.count,
                               sc.repr == HYP_REPR_F64 ? NULL : &ex);
        free(p);
        if (rc != 0) {
            fprintf(stderr, "hyperstore plot: a point lies beyond radius 710 from the focus "
                            "(binary64 cannot hold it)\n");
            st = CLI_EXIT_REJECTED;
            goto out;
        }
    }
    int st2 = place(&sc, &si.projection);
    if (st2 != CLI_EXIT_OK)
        st = st2;
    if (st == CLI_EXIT_INTERNAL)
        goto out;
    if ((st2 = choose_labels(&o, &sc, &si)) != CLI_EXIT_OK) {
        st = st2;
        goto out;
    }
    if ((st2 = output(&o, &sc, &si)) != CLI_EXIT_OK) {
        st = st2;
        goto out;
    }
    if (strcmp(o.out, "-") != 0)
        printf("%s: %zu points, %zu edges, %zu labels (%ld with no free spot); "
               "projection: %s\n",
               o.out, si.drawn_points, si.drawn_edges, si.nlabels, si.crowded, si.projection);
out:
    if (st == CLI_EXIT_INTERNAL)
        fprintf(stderr, "hyperstore plot: out of memory\n");
    free(si.order);
    free(si.spots);
    scene_free(&sc);
    return st;
}
