//! The case table: documented Chinese community cases, written up in our own words from the
//! research notes in `../shared/cases/CASES-FACTS.md` (whose ids `C01`… are kept, lower-case).
//! Figures are only those the notes report, and every one is shown "as reported". A case whose
//! only source is marked weak there is left out (C27, C32). `checked` says whether its key
//! figures were re-read in a stored copy of a source page (December 2026); the others still
//! rest on the notes alone.

use super::Quality::{Academic, Media, Mirror, Official};
use super::Tag::*;
use super::{Case, Source};

const fn src(
    outlet: &'static str,
    title: &'static str,
    url: &'static str,
    date: &'static str,
    quality: super::Quality,
) -> Source {
    Source {
        outlet,
        title,
        url,
        date,
        quality,
    }
}

/// Every case shipped with the app, by id.
pub static CASES: &[Case] = &[
    Case {
        id: "c01",
        city: ("上海 · 松江区", "Shanghai · Songjiang"),
        place: ("九亭镇 中心路片区", "Jiuting town, Zhonglu Road area"),
        years: "2019–2023",
        tags: &[Vending, Clutter, OldEstate],
        title: (
            "九亭镇：街长、片长分片包干",
            "Jiuting: every road and block has a named keeper",
        ),
        done: (
            "整治过后，为防止反弹，镇里在河长之外又设了街长和片长：十多名处级干部各自认领一条河、一条路或一个片区，居委会主任作为下一级负责人。2023年城管中队在学校、地铁站和小区门口整治乱设摊，先劝导、后处罚。",
            "To keep a clean-up from sliding back, the town added road keepers and block keepers next to its river keepers: over a dozen senior officials each took one river, road or block, with residents' committee heads as the tier below. In 2023 the town's enforcement team tackled street stalls at schools, the metro station and estate gates, warning first and fining later.",
        ),
        results: (
            "据报道：中心路片区跨7个居委、约250户的违建、群租等问题被集中治理；未见前后对比数字。2023年引用的罚款幅度为100至1000元。",
            "As reported: in the Zhonglu area (7 residents' committees, about 250 households) illegal building and overcrowded lets were dealt with together; no before/after counts. The 2023 fine range cited was ¥100–1,000.",
        ),
        sources: &[
            src(
                "上海市城管执法局",
                "九亭城管集中整治无序设摊",
                "https://cgzf.sh.gov.cn/channel_8/20230421/71c354f2c1334684aed6595662622456.html",
                "2023-04-21",
                Official,
            ),
            src(
                "021fenlei.com（转载）",
                "松江街镇长电台访谈预告·九亭镇",
                "http://021fenlei.com/n76607.htm",
                "",
                Mirror,
            ),
        ],
        checked: false,
    },
    Case {
        id: "c02",
        city: ("上海 · 徐汇区", "Shanghai · Xuhui"),
        place: (
            "湖南街道 兴武、复襄居民区",
            "Hunan Road sub-district, Xingwu and Fuxiang neighbourhoods",
        ),
        years: "2006–2018",
        tags: &[PropertyDispute, Parking, Volunteers],
        title: (
            "湖南街道：没有物业的老弄堂自己成立弄管会",
            "Hunan Road: lanes without a property firm run themselves",
        ),
        done: (
            "老式里弄没有统一物业。居民在居委会指导下自发组成不拿报酬的弄管会，之后又有了管道路、管停车和帮老人的小组；街道层面成立弄堂管理协会居中协调。",
            "The old lanes had no single property manager. Guided by the residents' committee, residents formed unpaid lane committees, then groups for the road, for parking and for helping elders; a sub-district lane association ties them together.",
        ),
        results: (
            "据报道：第一个弄管会于2006年底由5位居民成立，2008年覆盖全部214条弄堂；2012年入选上海首批社会治理十大创新项目，到2018年仍在运转。",
            "As reported: the first lane committee began with 5 residents at the end of 2006; all 214 lanes were covered by 2008; it was named among Shanghai's first ten social-governance innovations in 2012 and was still running in 2018.",
        ),
        sources: &[src(
            "东方网·上海人大",
            "徐汇区居民自治之湖南街道样本观察",
            "http://gov.eastday.com/renda/tyzt/2017smxs/n30655/n30678/u1ai6184723.html",
            "2018-01-23",
            Official,
        )],
        checked: true,
    },
    Case {
        id: "c03",
        city: ("上海 · 徐汇区", "Shanghai · Xuhui"),
        place: (
            "全区；首个试点在康健街道 寿昌坊",
            "District-wide; first pilot at Shouchangfang, Kangjian",
        ),
        years: "2016–2023",
        tags: &[ElderlyAlone, NeighbourhoodCulture, OldEstate],
        title: (
            "徐汇“邻里汇”：闲置房子改成邻里客厅",
            "Xuhui's neighbourhood living rooms in idle buildings",
        ),
        done: (
            "把闲置仓库和旧楼改成“邻里汇”，一处集老年助餐、健康服务、助浴、活动和议事于一体。寿昌坊试点时居民为围墙设计和“像养老院”的顾虑争论过，谈妥后才动工。",
            "Idle warehouses and old buildings became neighbourhood hubs, each with an elders' canteen, a health post, bathing help, activities and a room for residents' meetings. At the first pilot residents argued over the fence and the fear of it looking like a care home before work went ahead.",
        ),
        results: (
            "据报道：2019年覆盖全部13个街镇，2021年覆盖306个居民区；2023年共有40处，总面积约6.5万平方米，按800米服务半径布点。",
            "As reported: all 13 sub-districts had one by 2019 and 306 neighbourhoods were covered by 2021; in 2023 there were 40 hubs, about 65,000 m² in all, planned on an 800 m radius.",
        ),
        sources: &[src(
            "上观新闻（转载）",
            "三年了，徐汇“邻里汇”的使用度…",
            "http://myzaker.com/article/5df08d5b8e9f0913203dd10c/",
            "2019-12-11",
            Mirror,
        )],
        checked: false,
    },
    Case {
        id: "c04",
        city: ("上海 · 徐汇区", "Shanghai · Xuhui"),
        place: (
            "徐家汇街道 乐山新村",
            "Xujiahui sub-district, Leshan estate",
        ),
        years: "2018–2020",
        tags: &[Clutter, OldEstate, Parking],
        title: (
            "乐山新村：三年软硬兼治",
            "Leshan estate: three years of repairs and door-to-door work",
        ),
        done: (
            "这片上世纪80年代的旧改小区用三年时间同时抓房屋修缮和人的工作：换了居民区书记，干部带着小马扎逐户上门；旧菜场改成市集，又建了一处邻里汇集中办事。",
            "A 1980s estate built to rehouse shanty dwellers got repairs and people work at once for three years: new neighbourhood secretaries, officials visiting every door with a folding stool, the old wet market turned into a market hall, and a service hub.",
        ),
        results: (
            "据报道：共6458户，最挤时人均居住面积不到5平方米；邻里汇约400平方米，可就近办理40项常用事务。未报道堆物、停车方面的数字。",
            "As reported: 6,458 households, at worst under 5 m² of living space a person; the hub is about 400 m² and handles 40 everyday services. No clutter or parking figures were given.",
        ),
        sources: &[src(
            "上观新闻（转载）",
            "上海知名商圈背后有个“异次元”，历时三年整治",
            "http://recitymedia.com/40694.html",
            "2020-10-19",
            Mirror,
        )],
        checked: false,
    },
    Case {
        id: "c05",
        city: ("上海 · 徐汇区", "Shanghai · Xuhui"),
        place: (
            "徐家汇街道 汇园居委 徐家汇花园",
            "Xujiahui sub-district, Xujiahui Garden estate",
        ),
        years: "2019–2020",
        tags: &[Garbage, Volunteers, Merchants],
        title: (
            "徐家汇花园：共建单位派“一小时志愿者”守垃圾桶",
            "Xujiahui Garden: partner employers send one-hour volunteers to the bins",
        ),
        done: (
            "两个垃圾厢房每天8小时有人在桶边指导分类，每班1小时2人。为免志愿者累垮，街道请区域党建的共建单位（科研院、银行等）派员工来值一小时班。",
            "Two bin rooms were staffed 8 hours a day, two volunteers per one-hour shift, to guide sorting. To keep volunteers from burning out, partner employers in the area (a research institute, banks) sent staff for one-hour shifts.",
        ),
        results: (
            "据报道：每天32个班次由100多名志愿者轮流，每人三四天轮到一次。全市2019年有约3万人的三级志愿者队伍，小区分类达标率从15%升到90%以上。",
            "As reported: 32 shifts a day shared by 100+ volunteers, each on duty every 3–4 days. Citywide in 2019 a three-tier corps of about 30,000 people served, and estates meeting the sorting standard rose from 15% to over 90%.",
        ),
        sources: &[src(
            "公益中国",
            "垃圾分类志愿者“缺人”，上海小区怎么破",
            "http://gongyi.china.com.cn/2020-06/30/content_41202861.htm",
            "2020-06-30",
            Media,
        )],
        checked: true,
    },
    Case {
        id: "c06",
        city: ("上海 · 黄浦区", "Shanghai · Huangpu"),
        place: (
            "半淞园路街道 耀江居民区、银南小区",
            "Bansongyuan Road sub-district, Yaojiang and Yinnan",
        ),
        years: "2013–2020",
        tags: &[OwnersCommittee, Parking, MicroGrant],
        title: (
            "半淞园路：给业委会“体检”、评星，星级挂钩引导资金",
            "Bansongyuan: owners' committees audited, rated and funded by rating",
        ),
        done: (
            "律师等专业人士给每个业委会做“体检”，街道据此评星，星级与业主自治项目的引导资金挂钩。耀江居民区2013年发起上海第一个业委会主任联谊会，主任们互相交流停车等难题的做法。",
            "Lawyers and other professionals audited every owners' committee; the sub-district rated them in stars and tied the rating to seed money for owner-led projects. In 2013 Yaojiang started Shanghai's first club of committee chairs, where they trade fixes for problems such as parking.",
        ),
        results: (
            "据报道：97个物业小区、92个业委会（组建率95%），已评定55个；四星业委会最多可获2万元，银南小区用于楼道窗户；耀江花园曾有200多辆车停在路上，如今被描述为有序。",
            "As reported: 97 managed estates and 92 committees (95% formed), 55 rated; a four-star committee can receive up to ¥20,000, which Yinnan is spending on corridor windows; Yaojiang once had 200+ cars on its roads, now described as orderly.",
        ),
        sources: &[src(
            "sh.nongcun5.com（转载）",
            "",
            "http://sh.nongcun5.com/news/940.html",
            "",
            Mirror,
        )],
        checked: false,
    },
    Case {
        id: "c08",
        city: ("上海 · 浦东新区、长宁区", "Shanghai · Pudong, Changning"),
        place: (
            "陆家嘴街道起步；2025年长宁 程家桥街道",
            "Began in Lujiazui; Chengjiaqiao (Changning) in 2025",
        ),
        years: "2011–2025",
        tags: &[MicroGrant, Clutter, NeighbourhoodCulture],
        title: (
            "居民自治金：小额种子钱撬动居民出钱出力",
            "Residents' self-governance fund: small seed money that draws residents in",
        ),
        done: (
            "每个项目约1至2万元，街道每年评审一次，用少量财政资金带动居民和社会力量投入。程家桥街道让居民区团队当众路演，由评审团打分。",
            "Projects of about ¥10–20k each, reviewed yearly by the sub-district, use a little public money to bring in residents' and others' contributions. In Chengjiaqiao neighbourhood teams pitched their projects in public to a panel.",
        ),
        results: (
            "据报道：2011年始于陆家嘴，2016年推广到浦东全区。2025年的项目有让电动车搬出楼道的充电棚、凉亭和养宠公约；程家桥8个居民区报了6个项目，包括治理乱停车的墙绘加服务亭、宠物友好和轮胎菜园。",
            "As reported: it began in Lujiazui in 2011 and covered all of Pudong from 2016. 2025 projects include charging shelters that get e-bikes out of stairwells, pavilions and pet rules; in Chengjiaqiao 8 neighbourhoods brought 6 projects, among them a mural with a service kiosk against chaotic parking, pet-friendly shops and a tyre vegetable garden.",
        ),
        sources: &[
            src(
                "上观号",
                "程家桥街道6个“自治金”项目进行路演",
                "https://www.jfdaily.com.cn/sgh/detail?id=1568400",
                "2025-05-14",
                Official,
            ),
            src(
                "网易号",
                "",
                "https://www.163.com/dy/article/KIB876H6055040N3.html",
                "2025",
                Media,
            ),
        ],
        checked: false,
    },
    Case {
        id: "c09",
        city: ("上海 · 杨浦区", "Shanghai · Yangpu"),
        place: (
            "四平路街道 鞍山路218弄5号楼",
            "Siping Road sub-district, No. 5, Lane 218 Anshan Road",
        ),
        years: "2016–2017",
        tags: &[Clutter, OldEstate, MicroGrant],
        title: (
            "鞍山路218弄：居民凑钱、自治金一比一配，楼道变客厅",
            "Anshan Road: residents pay, the fund matches, the stairwell becomes a living room",
        ),
        done: (
            "底楼门厅常年阴暗潮湿，停着自行车、堆着旧物，还有老鼠。楼里居民自己出钱改造，街道按一比一从自治金配套，把门厅改成大家能坐下喝茶的公共客厅。",
            "The ground-floor hall was dark and damp, full of bikes and junk, with rats. The households paid for a makeover themselves, the sub-district matched it one to one from its self-governance fund, and the hall became a shared room where neighbours sit and have tea.",
        ),
        results: (
            "据报道：12户共筹4.8万元（每户4000元），另有一比一配套；约3个月完工；楼建于1997年；是该街道第一个这样做的楼组。",
            "As reported: 12 households raised ¥48,000 (¥4,000 each), matched one to one; done in about 3 months; the building dates from 1997; the first building group in the sub-district to try it.",
        ),
        sources: &[src(
            "解放日报（中新网上海转载）",
            "四平路街道“睦邻楼道”建设：自治金一比一配比改造楼道",
            "http://sh.chinanews.com/qxdt/2017-03-28/20588.shtml",
            "2017-03-28",
            Media,
        )],
        checked: true,
    },
    Case {
        id: "c11",
        city: ("上海 · 杨浦区", "Shanghai · Yangpu"),
        place: (
            "长白新村街道 控江绿苑等",
            "Changbai sub-district, Kongjiang Lüyuan and others",
        ),
        years: "2022–2024",
        tags: &[Parking, OldEstate, Clutter],
        title: (
            "长白新村：企业投资建智能车棚，15年后交给业委会",
            "Changbai: a firm builds smart e-bike sheds and hands them over after 15 years",
        ),
        done: (
            "先把所有自行车、电动车棚摸了一遍，在5个居民区试点。之后与企业签约：企业出钱建智能车棚和充电设施，靠收费回本15年，期满设备归业委会；街道补贴一小部分。",
            "Every bike and e-bike shed was surveyed and 5 neighbourhoods piloted. Then a firm agreed to pay for smart sheds and charging, recover the cost from fees over 15 years and hand the equipment to the owners' committee; the sub-district adds a small subsidy.",
        ),
        results: (
            "据报道：33个老旧小区（占街道73%），约9630辆电动车，69个车棚适合改造；补贴约占15%；控江绿苑20万元的方案全部由企业出资。",
            "As reported: 33 old estates (73% of the sub-district), about 9,630 e-bikes, 69 sheds fit to upgrade; the subsidy is about 15%; Kongjiang Lüyuan's ¥200k scheme was paid entirely by the firm.",
        ),
        sources: &[src(
            "北京大学城市治理研究院",
            "",
            "https://iug.pku.edu.cn/xwzx/xzdt/1385323.htm",
            "",
            Academic,
        )],
        checked: false,
    },
    Case {
        id: "c12",
        city: (
            "上海 · 杨浦、徐汇、浦东",
            "Shanghai · Yangpu, Xuhui, Pudong",
        ),
        place: (
            "浦东 东明路街道（聚明心）",
            "Dongming Road sub-district, Pudong (Jumingxin)",
        ),
        years: "2018–2024",
        tags: &[ParticipatoryPlanning, OldEstate],
        title: (
            "社区规划师：把规划师派到街道",
            "Community planners assigned to sub-districts",
        ),
        done: (
            "上海为街道配社区规划师，各区侧重不同：杨浦重在培育在地团队，徐汇重在数字平台，浦东偏重统一设计。东明路的社会组织聚明心培训居民当规划师，还办社区花园节。",
            "Shanghai assigns planners to sub-districts, each district with its own emphasis: Yangpu grows local groups, Xuhui uses a digital platform, Pudong designs from the top. In Dongming the group Jumingxin trains residents as planners and runs a community garden festival.",
        ),
        results: (
            "据报道：第一轮为2018至2020年；到2024年聚明心已培训1000多名社区规划师。",
            "As reported: the first three-year round ran 2018–2020; by 2024 Jumingxin had trained over 1,000 community planners.",
        ),
        sources: &[
            src(
                "上海城市规划（论文，转载）",
                "公共空间治理下上海社区规划师制度研究",
                "http://m.fx361.cc/news/2021/1015/12234015.html",
                "2021",
                Academic,
            ),
            src(
                "公益时报",
                "",
                "http://www.gongyishibao.com/newdzb/html/2024-04/30/content_35074.htm",
                "2024-04-30",
                Media,
            ),
        ],
        checked: false,
    },
    Case {
        id: "c13",
        city: ("上海 · 杨浦区", "Shanghai · Yangpu"),
        place: (
            "五角场街道 创智坊",
            "Wujiaochang sub-district, Chuangzhifang",
        ),
        years: "2016–2021",
        tags: &[ParticipatoryPlanning, NeighbourhoodCulture],
        title: (
            "创智农园：两个小区间的空地变成社区花园",
            "Chuangzhi farm: a vacant strip becomes a community garden",
        ),
        done: (
            "两个小区之间的闲置地块交给社会组织四叶草堂运营，居民一起设计、一起动手建；后来开了一扇“睦邻门”，让隔壁小区的居民也能进来。",
            "A vacant strip between two estates was handed to the NGO Clover Nature School, with residents designing and building together; a new gate later opened it to the neighbouring estate.",
        ),
        results: (
            "据报道：面积约2200平方米，30多个居民自建小花园，每年200多场活动，植物200多种。",
            "As reported: about 2,200 m², 30+ mini gardens built by residents, 200+ events a year, over 200 plant species.",
        ),
        sources: &[src(
            "上海城市规划（论文，转载）",
            "",
            "http://www.fx361.cc/page/2017/0601/20520605.shtml",
            "2017",
            Academic,
        )],
        checked: false,
    },
    Case {
        id: "c14",
        city: ("上海 · 宝山区", "Shanghai · Baoshan"),
        place: (
            "全区；罗店镇、友谊路街道 宝山九村",
            "District-wide; Luodian, Baoshan No. 9 estate",
        ),
        years: "2017–2020",
        tags: &[Volunteers, OldEstate, PropertyDispute, DigitalDivide],
        title: (
            "宝山“社区通”：书记必须回复每一条帖子",
            "Baoshan's neighbourhood app: the party secretary answers every post",
        ),
        done: (
            "每个居委和村有一个实名的手机平台，设公告、议事厅、物业之窗、民警和家庭医生版块。居民区书记要回复每条留言，党员亮明身份。宝山九村用它收集旧改意见。",
            "Each residents' committee and village got a real-name mobile board with notices, a discussion room, a property window and police and family-doctor corners. The party secretary must answer every post and party members show who they are. One estate used it to gather ideas for its renovation.",
        ),
        results: (
            "据报道：上线10个月解决问题3.2万个、用户42万；2019年8月覆盖462个居委和103个村，用户64万以上；罗店镇8个月解决3000多件。",
            "As reported: after 10 months, 32k issues solved and 420k users; by August 2019, 462 residents' committees and 103 villages with 640k+ users; Luodian solved 3,000+ issues in 8 months.",
        ),
        sources: &[
            src(
                "新民晚报",
                "",
                "http://paper.xinmin.cn/html/xmwb/2020-10-09/3/82858.html",
                "2020-10-09",
                Media,
            ),
            src(
                "新民晚报（国际在线上海）",
                "",
                "http://sh.cri.cn/20180416/f5fd4d83-c443-56a7-28df-96074905e3db.html",
                "2018-04-17",
                Media,
            ),
        ],
        checked: true,
    },
    Case {
        id: "c15",
        city: ("上海 · 普陀区", "Shanghai · Putuo"),
        place: (
            "宜川三村第一居民区",
            "Yichuan No. 3 estate, first neighbourhood",
        ),
        years: "2012–2019",
        tags: &[Clutter, NeighbourhoodCulture],
        title: (
            "宜川三村：借物小屋和跳蚤市场，让楼道不再堆东西",
            "Yichuan: a lending room and a flea market keep corridors clear",
        ),
        done: (
            "先给出路再定规矩：居委开了一间便民小屋，出借圆桌、梯子、电钻这类偶尔用的东西，居民就不必堆在楼道里；再办跳蚤市场，让闲置物品流转出去。",
            "Give people a way out first, then set the rule: the committee runs a small room that lends rarely used things (round tables, ladders, drills) so nobody keeps them in the corridor, and a flea market moves idle goods on.",
        ),
        results: (
            "据报道：跳蚤市场到2019年已办了7年；居民中老人占42%。未报道清理了多少物品。",
            "As reported: the flea market had run for 7 years by 2019; 42% of residents are elderly. No count of items cleared.",
        ),
        sources: &[src(
            "报纸版面扫描（报名不详）",
            "",
            "http://static.zhoudaosh.com/files/cnews/2019/20191114/8CD3AE08E1C845569D8F853F84DB99D0D43561310C4F2C471400CC6FC78886C0/8.html",
            "2019-11-14",
            Media,
        )],
        checked: false,
    },
    Case {
        id: "c16",
        city: (
            "上海 · 长宁、静安；宁波；深圳",
            "Shanghai (Changning, Jing'an); Ningbo; Shenzhen",
        ),
        place: (
            "长宁 江苏路街道；静安 大宁路街道",
            "Jiangsu Road (Changning); Daning Road (Jing'an)",
        ),
        years: "2020–2022",
        tags: &[ElderlyAlone, DigitalDivide],
        title: (
            "独居老人“四小件”：用水少了就有人上门",
            "Sensors for elders living alone: little water used means a visit",
        ),
        done: (
            "给独居老人装智能水表、门磁、烟感和红外感应这类便宜设备。用水异常偏低时平台报警，居委或志愿者上门看看；每位老人另有一名志愿者结对，每周探访。大宁路由水务公司盯数据，联系不上的报警转成工单派给社区。",
            "Cheap sensors (a smart water meter, a door sensor, a smoke alarm, an infrared sensor) go into the homes of elders living alone. When water use is unusually low the platform alerts the committee or a volunteer, who calls round; each elder also has a volunteer who visits weekly. In Daning Road the water company watches the data and alerts nobody answers become work orders for the neighbourhood.",
        ),
        results: (
            "据报道：江苏路的报警线是12小时用水少于0.01立方米；上海2019年底有独居老人31.74万。宁波试点30位老人。未报道发现了多少险情。",
            "As reported: Jiangsu Road's alert fires below 0.01 m³ of water in 12 hours; Shanghai had 317,400 elders living alone at the end of 2019; Ningbo piloted it with 30 elders. No count of incidents caught.",
        ),
        sources: &[
            src(
                "新华网（台海网转载）",
                "",
                "http://www.taihainet.com/news/txnews/cnnews/sh/2020-12-11/2457599.html",
                "2020-12-10",
                Mirror,
            ),
            src(
                "宁波日报",
                "",
                "http://daily.cnnb.com.cn/nbrb/html/2022-05/20/content_1319636.htm",
                "2022-05-20",
                Media,
            ),
        ],
        checked: true,
    },
    Case {
        id: "c18",
        city: ("上海 · 闵行区", "Shanghai · Minhang"),
        place: ("莘庄镇 黎安二村", "Xinzhuang town, Li'an No. 2 estate"),
        years: "2016–2018",
        tags: &[Parking, OwnersCommittee, ParticipatoryPlanning],
        title: (
            "黎安二村：绿地改车位要走完听证和公示",
            "Li'an: turning lawn into parking only after a hearing and public notice",
        ),
        done: (
            "镇里定了程序：先开居民代表大会和听证会，再由居委、业委会、物业委托有资质的单位设计（业主资金不够时镇里出）；方案公示至少一周，修改后再公示并备案。在自治基础好的黎安二村先试。",
            "The town set a procedure: a residents' assembly and a hearing first, then the committee, the owners' committee and the property firm commission a licensed design (the town pays if owners' funds fall short); the plan is posted for at least a week, revised, posted again and filed. It was tried first in a well-organised estate.",
        ),
        results: (
            "据报道：只说“效果良好”，没有车位数。",
            "As reported: described only as working well; no count of spaces.",
        ),
        sources: &[src(
            "范冬梅（论文，转载）",
            "",
            "http://www.handmsg.com/page/2019/0114/15896923.shtml",
            "2019",
            Academic,
        )],
        checked: false,
    },
    Case {
        id: "c19",
        city: ("北京 · 全市", "Beijing · citywide"),
        place: ("12345市民服务热线", "The 12345 citizens' hotline"),
        years: "2018–2024",
        tags: &[PropertyDispute, OldEstate, Parking, Garbage],
        title: (
            "北京“接诉即办”：一条热线，按响应、解决、满意排名",
            "Beijing's answer-on-request: one hotline, ranked on response, resolution and satisfaction",
        ),
        done: (
            "2018年先让街乡“吹哨”、部门“报到”；2019年把几十条热线并进12345，按接、派、办、评一条链办理，街道和部门按响应率、解决率、满意率排名；2021年起每月挑一个高频问题在全市层面解决。",
            "In 2018 sub-districts were given the power to summon departments; in 2019 dozens of hotlines merged into 12345, each call following receive, dispatch, handle, rate, with sub-districts and departments ranked on response, resolution and satisfaction; from 2021 one frequent complaint a month gets a citywide fix.",
        ),
        results: (
            "据报道：2019年1月至2024年9月受理1.47亿件，解决率从53.1%升至96.5%，满意率从64.6%升至96.9%；合并了64条热线。",
            "As reported: 147 million contacts from January 2019 to September 2024; resolution rose from 53.1% to 96.5% and satisfaction from 64.6% to 96.9%; 64 hotlines were merged.",
        ),
        sources: &[
            src(
                "北京商报（转载）",
                "",
                "http://themindfill.com/2024/1011/532780.shtml",
                "2024-10-11",
                Mirror,
            ),
            src(
                "北京青年报（转载）",
                "",
                "http://hf.eeju.com/guancha/2021/1220/17492.html",
                "2021-12",
                Mirror,
            ),
        ],
        checked: true,
    },
    Case {
        id: "c20",
        city: ("北京 · 朝阳区", "Beijing · Chaoyang"),
        place: (
            "劲松街道 劲松一、二区",
            "Jinsong sub-district, zones 1 and 2",
        ),
        years: "2018–2020",
        tags: &[OldEstate, PropertyDispute, ElderlyAlone],
        title: (
            "劲松模式：社会资本改老小区，微利长期运营",
            "Jinsong: private money renovates an old estate and runs it on a thin margin",
        ),
        done: (
            "北京第一个引入社会资本的老旧小区改造：企业负责设计、施工和之后长期的物业服务，只求微利可持续。半个旧车棚改成社区食堂，还加了步道和智能物业系统。",
            "Beijing's first old-estate renovation with private capital: the firm designs, builds and then runs the property service long term for a small, steady margin. Half an old bike shed became a canteen, and a walking track and smart property systems were added.",
        ),
        results: (
            "据报道：社会资本约3000万元；“劲松模式”写入2020年北京市政府工作报告，并推广到周边街道。未找到物业费收缴率数字。",
            "As reported: about ¥30M of private capital; the model went into Beijing's 2020 government work report and spread to nearby sub-districts. No fee-collection figures were found.",
        ),
        sources: &[src(
            "21世纪经济报道",
            "",
            "https://www.21jingji.com/article/20230426/herald/11b0f197f1356e0a1aedbb4797d636c4.html",
            "2023-04-26",
            Media,
        )],
        checked: false,
    },
    Case {
        id: "c21",
        city: ("北京 · 东城区 → 全市", "Beijing · Dongcheng → citywide"),
        place: (
            "朝阳门街道 史家胡同",
            "Chaoyangmen sub-district, Shijia hutong",
        ),
        years: "2014–2021",
        tags: &[ParticipatoryPlanning, OldEstate],
        title: (
            "责任规划师：规划团队驻街，院落居民自订公约",
            "Responsible planners: a planning team in the street, courtyard rules by residents",
        ),
        done: (
            "市规划院的团队常驻街道，帮助成立胡同风貌保护协会，在大杂院做公共空间试点，由院里居民自己起草院落公约。2019年推广到全市并写入规划条例。",
            "A team from the city planning institute worked in the sub-district, helped set up a hutong conservation association and ran courtyard pilots where the families drafted their own courtyard rules. In 2019 it went citywide and into the planning regulations.",
        ),
        results: (
            "据报道：到2021年1月，301个规划师团队覆盖318个街乡和片区。",
            "As reported: by January 2021, 301 planner teams covered 318 sub-districts and areas.",
        ),
        sources: &[src(
            "北京日报（转载）",
            "",
            "http://news.cncjw.com.cn/fangchan/2021/0128/22121.html",
            "2021-01-28",
            Mirror,
        )],
        checked: false,
    },
    Case {
        id: "c22",
        city: ("北京 · 东城区", "Beijing · Dongcheng"),
        place: ("安定门街道", "Andingmen sub-district"),
        years: "2025–2026",
        tags: &[Volunteers, Merchants],
        title: (
            "安定门“时间银行”：志愿时长换积分，周边小店认",
            "Andingmen's time bank: volunteer hours become points local shops accept",
        ),
        done: (
            "志愿服务按7类记时长并折成积分，可换文化活动名额、物品、附近小店折扣和活动优先权；夏天还为户外劳动者设清凉驿站。",
            "Volunteer hours in 7 kinds of service turn into points that buy places on outings, goods, discounts at nearby shops and priority for events; in summer there are cool-drink stops for outdoor workers.",
        ),
        results: (
            "据报道：20多家小店（餐饮、理发、维修）参加兑换；楼门院长、年轻家庭、退休居民和快递员都加入了。",
            "As reported: 20+ shops (food, barbers, repairs) take points; building captains, young families, retirees and couriers have joined.",
        ),
        sources: &[src(
            "工人日报（转载）",
            "",
            "http://cccollect.cn/papers/grrb/2026/03/04/7/news-7.html",
            "2026-03-04",
            Mirror,
        )],
        checked: false,
    },
    Case {
        id: "c23",
        city: ("北京 · 全市", "Beijing · citywide"),
        place: (
            "各社区；怀柔 崎峰茶村",
            "Many communities; Qifengcha village, Huairou",
        ),
        years: "2018–2023",
        tags: &[DigitalDivide, Volunteers, Merchants],
        title: (
            "“我来教您用手机”：企业志愿者进社区教老人",
            "Company volunteers teach elders to use their phones",
        ),
        done: (
            "一家房产经纪企业的员工志愿者在社区开手机课，手把手教老人用智能手机；2023年又与老年开放大学合作，把课开到村里。",
            "Staff volunteers of an estate-agency firm run smartphone classes for elders in communities; in 2023, with the elders' open university, the classes reached villages too.",
        ),
        results: (
            "据报道：2018年至2023年4月覆盖1424个社区，老人参加12万人次。",
            "As reported: 1,424 communities and 120,000 elder attendances from 2018 to April 2023.",
        ),
        sources: &[src(
            "人民政协报",
            "",
            "http://dzb.rmzxb.com/rmzxbPaper/pc/con/202304/18/content_42117.html",
            "2023-04-18",
            Official,
        )],
        checked: false,
    },
    Case {
        id: "c24",
        city: ("广东 · 深圳", "Guangdong · Shenzhen"),
        place: (
            "全市；如坪山 六和社区",
            "Citywide; e.g. Liuhe community, Pingshan",
        ),
        years: "2015–2023",
        tags: &[MicroGrant, NeighbourhoodCulture, OldEstate],
        title: (
            "深圳“民生微实事”：居民点菜，政府配菜",
            "Shenzhen's small livelihood projects: residents order, government serves",
        ),
        done: (
            "居民提出想办的小事，社区党委牵头、居委配合，按征集、评议、确定、实施、验收五步走，每一步都公示。项目分工程、服务、货物三类，市区两级资金一比一配套。",
            "Residents propose the small things they want done; the community party committee and residents' committee run five steps (collect, review, decide, deliver, accept), each posted publicly. Projects are works, services or goods, funded one to one by city and district.",
        ),
        results: (
            "据报道：2015年底至2022年底约8万件、投入约80亿元；2023年上半年立项7984件、约10.05亿元；2021年7月被国家发改委向全国推广；六和社区2017年由居民议事会评议10个项目、124万元。",
            "As reported: about 80,000 projects and ¥8bn from end-2015 to end-2022; 7,984 projects worth about ¥1.005bn in the first half of 2023; promoted nationally by the NDRC in July 2021; in 2017 Liuhe's residents' council reviewed 10 projects worth ¥1.24M.",
        ),
        sources: &[
            src(
                "读特新闻",
                "",
                "https://www.dutenews.com/p/7641822.html",
                "2023-07-18",
                Media,
            ),
            src(
                "坪山新闻网",
                "",
                "http://ipingshan.sznews.com/content/2017-04/14/content_16086816.htm",
                "2017-04-14",
                Media,
            ),
        ],
        checked: true,
    },
    Case {
        id: "c25",
        city: ("广东 · 深圳 · 南山区", "Guangdong · Shenzhen · Nanshan"),
        place: (
            "南山街道 荔秀社区、学府社区",
            "Nanshan sub-district, Lixiu and Xuefu communities",
        ),
        years: "2023–2025",
        tags: &[Vending, Merchants],
        title: (
            "南山：居民议事会划定摊贩点，先给出路再管",
            "Nanshan: residents' councils mark out stall sites, outlet first, then rules",
        ),
        done: (
            "市容条例修订后允许划定摆摊区域。社区党组织牵头，居民、商户、物业、业委会、产权单位五方加城管、市场监管坐在一张桌上；从居民提议设点、部门研判、拟方案，到议事会协商、公示，一步步走，随后统一了餐车和摊位。",
            "Once the city rules allowed designated stall areas, the community party organisation brought residents, shops, the property firm, the owners' committee and the landlords to one table with enforcement and market officials. A site goes from residents' proposal to departments' assessment, a draft plan, the residents' council and public notice; uniform food carts and stalls followed.",
        ),
        results: (
            "据报道：荔秀社区（0.88平方公里）原有84个流动摊、每月180多宗投诉；3个月建成13个规范摊点，吸纳六成流动摊贩；西丽曙光社区道路通行效率提升40%。",
            "As reported: Lixiu (0.88 km²) had 84 roaming stalls and 180+ complaints a month; 13 regulated sites were built in 3 months, taking in 60% of roaming vendors; road throughput in Shuguang (Xili) rose 40%.",
        ),
        sources: &[
            src(
                "zyshgzb.gov.cn",
                "",
                "https://www.zyshgzb.gov.cn/n1/2025/1011/c461087-40579948.html",
                "2025-10-11",
                Official,
            ),
            src(
                "jianzhuzhichuang.com（转载）",
                "",
                "http://www.jianzhuzhichuang.com/cms/zonghezixun/11180.html",
                "2025",
                Mirror,
            ),
        ],
        checked: true,
    },
    Case {
        id: "c26",
        city: ("四川 · 成都", "Sichuan · Chengdu"),
        place: (
            "全市；都江堰、新都 桥楼村",
            "Citywide; Dujiangyan; Qiaolou village, Xindu",
        ),
        years: "2009–2022",
        tags: &[MicroGrant, ParticipatoryPlanning, Volunteers],
        title: (
            "成都社区保障资金：议事会决定钱怎么花",
            "Chengdu's community fund: the residents' council decides how it is spent",
        ),
        done: (
            "每个社区每年有一笔专项资金，只能经居民议事会决定使用，相当于参与式预算。都江堰用五步法（党组织提议、议事会决策、居委执行、党组织评议、监委会监督）和负面清单：不付物业费这类私人开支，不替别的责任方或政府职责买单。",
            "Every community has a yearly budget line that only the residents' council may allocate, a participatory budget. Dujiangyan uses five steps (party proposes, council decides, committee carries out, party reviews, oversight board checks) and a list of what the money may not pay for: private costs such as property fees, another party's duties, or the government's own.",
        ),
        results: (
            "据报道：到2018年，市级投入3200万元支持318个营造项目，培育居民自组织595个；都江堰一个社区2021年用38.99万元完成8个项目。",
            "As reported: by 2018, ¥32M for 318 city-level community projects and 595 resident groups; one Dujiangyan community completed 8 projects with ¥389.9k in 2021.",
        ),
        sources: &[
            src(
                "成都全搜索",
                "",
                "http://news.chengdu.cn/2019/0108/2025818.shtml",
                "2019-01-08",
                Media,
            ),
            src(
                "公益时报",
                "",
                "http://www.gongyishibao.com/newdzb/html/2018-01/30/content_17607.htm",
                "2018-01-30",
                Media,
            ),
        ],
        checked: true,
    },
    Case {
        id: "c28",
        city: ("四川 · 成都 · 锦江区", "Sichuan · Chengdu · Jinjiang"),
        place: (
            "锦官驿街道 合江亭社区",
            "Jinguanyi sub-district, Hejiangting community",
        ),
        years: "2023–2024",
        tags: &[OldEstate, Clutter],
        title: (
            "合江亭：老院落改造，业主自己拆违建",
            "Hejiangting: old courtyards renovated, owners remove their own sheds",
        ),
        done: (
            "由党组织牵头院落自治，加上文化和专业团队支持，先做了82位居民的问卷和40次访谈，再定改造方案。",
            "Courtyard self-governance led by the party branch, with cultural and professional help; the plan followed a survey of 82 residents and 40 interviews.",
        ),
        results: (
            "据项目自己的研究报告：改造同意率98%，长期违建全部由业主自行拆除，空间利用率提高40%。",
            "As the project's own study reports: 98% consent to the renovation, every long-standing illegal structure removed by its owner, space use up 40%.",
        ),
        sources: &[src(
            "jjsodf.org（研究报告）",
            "",
            "http://jjsodf.org/index.php?c=msg&id=5515",
            "",
            Academic,
        )],
        checked: true,
    },
    Case {
        id: "c29",
        city: ("江苏 · 南京 · 雨花台区", "Jiangsu · Nanjing · Yuhuatai"),
        place: (
            "翠竹园社区 → 岱山保障房片区",
            "Cuizhuyuan → Daishan social-housing area",
        ),
        years: "2009–2018",
        tags: &[Volunteers, NeighbourhoodCulture],
        title: (
            "翠竹园互助会：从网球俱乐部长出来的志愿者家庭",
            "Cuizhuyuan mutual aid: a tennis club that grew into volunteer families",
        ),
        done: (
            "一位做建筑师的居民把网球俱乐部办成社区互助会，孵化兴趣小组和志愿者家庭；2018年把据点搬进保障房片区。",
            "A resident architect turned a tennis club into a mutual-aid association that incubates interest groups and volunteer families; in 2018 it moved its base into a social-housing area.",
        ),
        results: (
            "据报道：翠竹园3036户、8000多人，网球俱乐部300多名会员；在岱山的头半年孵化20多个小组、120多户核心志愿者家庭。",
            "As reported: 3,036 households and 8,000+ residents, 300+ tennis club members; in Daishan's first half-year, 20+ groups and 120+ core volunteer families.",
        ),
        sources: &[src(
            "cmcn.org",
            "",
            "http://cmcn.org/archives/12940",
            "",
            Media,
        )],
        checked: false,
    },
    Case {
        id: "c30",
        city: ("江苏 · 南京 · 鼓楼区", "Jiangsu · Nanjing · Gulou"),
        place: (
            "热河南路街道 小桃园社区 姜家园",
            "Rehe South Road sub-district, Xiaotaoyuan, Jiangjiayuan",
        ),
        years: "2025",
        tags: &[Parking, OldEstate],
        title: (
            "姜家园：网格员上门问，居民一起写停车公约",
            "Jiangjiayuan: grid workers ask door to door, residents write the parking code",
        ),
        done: (
            "网格员和党员挨家挨户听意见，又和居民代表、设计师、共建单位开了十多次会；居民共同订了机动车停放公约并登记车牌，专项资金付了划线、花坛、安保和两个电动车充电棚。",
            "Grid workers and party members asked every household, then held over ten meetings with residents' representatives, designers and partners; residents wrote a parking code together and registered their plates, and a service fund paid for markings, flowerbeds, security and two e-bike charging shelters.",
        ),
        results: (
            "据报道：开会10次以上，建成2个充电棚；停车被描述为有序，没有具体数字。",
            "As reported: 10+ meetings, 2 charging shelters; parking described as orderly, no counts.",
        ),
        sources: &[src(
            "人民日报客户端（转载）",
            "",
            "http://tushygear.com/xwzx/PoliticsNews/202512/t20251203_12738408.htm",
            "2025-12-03",
            Mirror,
        )],
        checked: false,
    },
    Case {
        id: "c31",
        city: ("湖北 · 宜昌 · 猇亭区", "Hubei · Yichang · Xiaoting"),
        place: (
            "古老背街道 盛世桃源小区",
            "Gulaobei sub-district, Shengshi Taoyuan estate",
        ),
        years: "2023–2024",
        tags: &[Parking, OwnersCommittee, Volunteers],
        title: (
            "盛世桃源：业主预交三年车位费，众筹建停车场",
            "Shengshi Taoyuan: owners prepay three years of parking to build a car park",
        ),
        done: (
            "每周开院坝会商量。业主大会通过后，车主预交三年停车费，在后花园众筹建停车场，居民出义务工；还打算出租闲置门面、开洗车点，让小区自己养活自己。",
            "Weekly yard meetings. After the owners' assembly approved it, car owners prepaid three years of parking to fund a car park in the back garden, and residents gave their labour; renting an idle shop and a car wash are planned to keep the estate paying its own way.",
        ),
        results: (
            "据报道：原有42个车位；每年800元、预交3年，筹得约17万元；计划新增60个车位；赞成率82%。",
            "As reported: 42 existing spaces; ¥800 a year for 3 years raised about ¥170k; 60 more spaces planned; 82% approval.",
        ),
        sources: &[src(
            "湖北日报（齐鲁晚报网转载）",
            "",
            "http://www.qlwb.com.cn/detail/20532445.html",
            "",
            Mirror,
        )],
        checked: false,
    },
    Case {
        id: "c33",
        city: ("浙江 · 杭州 · 西湖区", "Zhejiang · Hangzhou · Xihu"),
        place: (
            "蒋村街道 府苑社区",
            "Jiangcun sub-district, Fuyuan community",
        ),
        years: "2021",
        tags: &[Volunteers, ElderlyAlone],
        title: (
            "西湖区时间银行：帮一次存一分，家人也能用",
            "Xihu's time bank: one service earns one point, family can use it",
        ),
        done: (
            "全区统一的时间银行小程序：提供一次服务得一分，接受一次服务花一分；每人起始5分，全区通用，还可以转给家人。",
            "A district-wide time-bank mini-program: giving a service earns a point and receiving one spends a point; everyone starts with 5, balances work across the district and can pass to family.",
        ),
        results: (
            "据报道：2021年5月上线；未报道使用人数。",
            "As reported: launched in May 2021; no uptake figures.",
        ),
        sources: &[src(
            "杭州网（浙江在线）",
            "",
            "https://zjnews.zjol.com.cn/zjnews/hznews/202105/t20210506_22486697.shtml",
            "2021-05-06",
            Media,
        )],
        checked: false,
    },
    Case {
        id: "c34",
        city: ("重庆 · 南岸区", "Chongqing · Nan'an"),
        place: ("南坪镇 兴隆社区", "Nanping town, Xinglong community"),
        years: "2022–2025",
        tags: &[Merchants, Vending, Clutter],
        title: (
            "兴隆社区“一米花园”：商铺让一米，居民管一米",
            "Xinglong's one-metre gardens: shops give a metre, residents tend it",
        ),
        done: (
            "商铺让出门前一米，居民认养花箱打理，社区再往外延伸一米的服务；原来因油烟、堆物、噪音吵来吵去的商户和居民，变成一起照看门前。",
            "Shops give up a metre of frontage, residents adopt and tend the planters, and the community adds a metre of support; shopkeepers and neighbours who used to fight over fumes, clutter and noise now look after the frontage together.",
        ),
        results: (
            "据报道：此前三年有110起商户与居民纠纷；九成商铺参加；2025年获南岸区首届公益创投一等奖。",
            "As reported: 110 shop–resident disputes in the three years before; 90% of shops joined; first prize at Nan'an's first community grants contest in 2025.",
        ),
        sources: &[src(
            "慈善公益报（转载）",
            "",
            "http://news.43b.com.cn/a/650913.html",
            "2025-06",
            Mirror,
        )],
        checked: false,
    },
    Case {
        id: "c35",
        city: ("江苏 · 南通 · 崇川区", "Jiangsu · Nantong · Chongchuan"),
        place: (
            "新城桥街道 城南新村社区 段家坝花苑",
            "Xinchengqiao sub-district, Duanjiaba estate",
        ),
        years: "2019–2025",
        tags: &[OldEstate, ElderlyAlone],
        title: (
            "段家坝花苑：老楼加装电梯，能装尽装",
            "Duanjiaba: lifts for old blocks, every one that can take one",
        ),
        done: (
            "一位退休高级工程师带头，扛过施工方倒闭和疫情，把第一部电梯装成；2024年7月市里出台补贴政策后，社区书记推动符合条件的楼栋能装尽装。",
            "A retired senior engineer carried the first lift through a contractor's collapse and the pandemic; after the city's subsidy policy of July 2024 the community secretary pushed to fit every block that can take one.",
        ),
        results: (
            "据报道：小区建于1998年；6部电梯已运行、7部在建或审批中；新政后5个月新增4部；目标覆盖65%至70%的楼栋；第一部用了约3年，2021年投用。",
            "As reported: built in 1998; 6 lifts running and 7 in construction or review; 4 added within 5 months of the new policy; the aim is 65–70% of blocks; the first took about 3 years and opened in 2021.",
        ),
        sources: &[src(
            "wm.jschina.com.cn",
            "",
            "https://wm.jschina.com.cn/9658/202601/t20260108_8550917.shtml",
            "2026-01-08",
            Official,
        )],
        checked: false,
    },
];
