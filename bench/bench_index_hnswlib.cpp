// bench_index_hnswlib.cpp — the peer of bench_index: hnswlib (Debian's
// libhnswlib-dev) on the same Lorentz points, with a custom space whose
// distance is -<x,y>_L - 1 = x0 y0 - x_s.y_s - 1 (= cosh d - 1), stored in
// float32 as hnswlib users do.  Not the inner-product trick (negating x0 and
// using InnerProductSpace): that is exact for a flat scan but HNSW compares
// stored points with each other, where it is wrong.
//   bench_index_hnswlib FILE   (written by bench_index --peer)
#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

static float lorentz_dist(const void *a, const void *b, const void *param)
{
    const float *x = static_cast<const float *>(a), *y = static_cast<const float *>(b);
    size_t w = *static_cast<const size_t *>(param);
    float s = x[0] * y[0];
    for (size_t i = 1; i < w; i++)
        s -= x[i] * y[i];
    return s - 1.0f;
}

class LorentzSpace : public hnswlib::SpaceInterface<float> {
    size_t w_;
public:
    explicit LorentzSpace(size_t w) : w_(w) {}
    size_t get_data_size() override { return w_ * sizeof(float); }
    hnswlib::DISTFUNC<float> get_dist_func() override { return lorentz_dist; }
    void *get_dist_func_param() override { return &w_; }
};

static double now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

/* A "Vm...:" figure of /proc/self/status in kB, or -1. */
static long status_kb(const char *key)
{
    char line[256];
    long v = -1;
    FILE *f = std::fopen("/proc/self/status", "r");
    while (f && std::fgets(line, sizeof line, f))
        if (std::strncmp(line, key, std::strlen(key)) == 0)
            v = std::strtol(line + std::strlen(key) + 1, nullptr, 10);
    if (f)
        std::fclose(f);
    return v;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    FILE *f = std::fopen(argv[1], "rb");
    uint64_t hdr[3];
    if (!f || std::fread(hdr, sizeof hdr, 1, f) != 1)
        return 2;
    size_t np = hdr[0], nq = hdr[1], w = hdr[2];
    std::vector<double> p(np * w), q(nq * w);
    std::vector<uint64_t> truth(nq * 10);
    if (std::fread(p.data(), 8, np * w, f) != np * w || std::fread(q.data(), 8, nq * w, f) != nq * w ||
        std::fread(truth.data(), 8, nq * 10, f) != nq * 10)
        return 2;
    std::fclose(f);
    std::vector<float> pf(p.begin(), p.end()), qf(q.begin(), q.end());
    LorentzSpace space(w);
    double t0 = now();
    size_t m = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 16;
    size_t efc = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 200;
    hnswlib::HierarchicalNSW<float> h(&space, np, m, efc, 100);
    for (size_t i = 0; i < np; i++)
        h.addPoint(pf.data() + i * w, i);
    std::printf("hnswlib (float32, Lorentz space -<x,y>_L - 1): build %.2f s, 1 thread\n", now() - t0);
    std::printf("  ef   recall@10   QPS 1 thread   QPS 2 threads\n");
    for (size_t ef : { 10, 20, 40, 80, 160 }) {
        h.setEf(ef);
        std::vector<uint64_t> got(nq * 10, UINT64_MAX);
        double qps[2];
        for (int threads = 1; threads <= 2; threads++) {
          double runs[3]; /* median of 3, as for ours */
          for (int r = 0; r < 3; r++) {
            t0 = now();
            std::vector<std::thread> ts;
            for (int t = 0; t < threads; t++)
                ts.emplace_back([&, t] {
                    for (size_t i = t; i < nq; i += threads) {
                        auto r = h.searchKnn(qf.data() + i * w, 10);
                        size_t k = r.size();
                        while (!r.empty()) {
                            got[i * 10 + --k] = r.top().second;
                            r.pop();
                        }
                    }
                });
            for (auto &t : ts)
                t.join();
            runs[r] = nq / (now() - t0);
          }
          std::sort(runs, runs + 3);
          qps[threads - 1] = runs[1];
        }
        size_t hit = 0;
        for (size_t i = 0; i < nq; i++)
            for (size_t a = 0; a < 10; a++)
                for (size_t c = 0; c < 10; c++)
                    hit += got[i * 10 + a] == truth[i * 10 + c];
        std::printf("%5zu   %.4f   %12.0f   %13.0f\n", ef, hit / double(nq * 10), qps[0], qps[1]);
        /* The answers, for bench_index's recall with ties. */
        std::string out = std::string(argv[1]) + ".got." + std::to_string(ef);
        if (FILE *g = std::fopen(out.c_str(), "wb")) {
            std::fwrite(got.data(), 8, got.size(), g);
            std::fclose(g);
        }
    }
    std::printf("hnswlib resident memory: VmRSS %.1f MB, VmHWM %.1f MB (its input arrays, "
                "double and float: %.1f MB)\n",
                status_kb("VmRSS") / 1024.0, status_kb("VmHWM") / 1024.0,
                (np + nq) * w * 12 / 1048576.0);
    return 0;
}
