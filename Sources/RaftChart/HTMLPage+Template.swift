import RaftScript

/// The page's fixed parts: its style and its script, inline.
extension HTMLPage {
    static let head = """
        <!DOCTYPE html>
        <!-- drawn by raftsh chart -->
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">

        """

    static let style = #"""
        <style>
        body{margin:0;font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;color:#263238;background:#fafafa}
        #bar{position:sticky;top:0;z-index:3;display:flex;gap:12px;align-items:center;padding:8px 12px;background:#263238;color:#eceff1}
        #bar h1{font-size:15px;margin:0;font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;max-width:30vw}
        #bar input[type=range]{flex:1}
        #bar button{font:inherit;padding:2px 10px}
        #counter{font-variant-numeric:tabular-nums;white-space:nowrap}
        #main{display:flex;align-items:flex-start}
        #chart{position:relative;flex:1;overflow:auto;height:calc(100vh - 46px);background:#fff;border-right:1px solid #cfd8dc}
        #names{position:sticky;top:0;z-index:2;background:#fff;border-bottom:1px solid #cfd8dc;width:max-content}
        #pieces svg{display:block}
        #highlight{position:absolute;left:0;right:0;pointer-events:none;background:rgba(255,214,0,.22);border-top:2px solid #ffa000;border-bottom:2px solid #ffa000}
        .hot line{stroke-width:3!important}
        .hot text{font-weight:bold}
        circle.hot{r:5}
        #panel{width:min(560px,42vw);height:calc(100vh - 46px);overflow:auto;padding:10px 14px;box-sizing:border-box}
        #panel h2{font-size:13px;text-transform:uppercase;letter-spacing:.05em;color:#607d8b;margin:14px 0 4px}
        #line{font:13px/1.4 ui-monospace,Menlo,Consolas,monospace;background:#eceff1;padding:6px 8px;border-radius:4px;white-space:pre-wrap}
        #note{color:#c62828;font-weight:bold;margin-top:6px}
        #output{font:12px/1.35 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;color:#455a64;margin-top:6px}
        table{border-collapse:collapse;font:12px/1.3 ui-monospace,Menlo,Consolas,monospace}
        td,th{padding:2px 6px;text-align:left;border-bottom:1px solid #eceff1}
        th{color:#607d8b;font-weight:normal}
        .down{color:#c62828}
        #grid td{text-align:center;min-width:18px}
        #grid td.c{background:#e8f5e9}
        #grid td.t{border:1px solid #cfd8dc}
        #meta{color:#607d8b;margin-top:4px}
        kbd{font:11px ui-monospace,monospace;border:1px solid #90a4ae;border-radius:3px;padding:0 3px}
        </style>

        """#

    static func controls(title: String, steps: Int) -> String {
        """
        <div id="bar"><h1>\(xmlEscaped(title))</h1>
        <button id="prev" title="previous step (←)">←</button>
        <input id="slider" type="range" min="0" max="\(max(0, steps - 1))" value="0" aria-label="step">
        <button id="next" title="next step (→)">→</button>
        <span id="counter"></span></div>

        """
    }

    static let panel = """
        <div id="panel">
        <h2>Step</h2><div id="line"></div><div id="note"></div><div id="output"></div>
        <div id="meta"></div>
        <h2>show</h2><table id="table"></table>
        <h2>show log</h2><table id="grid"></table>
        <p style="color:#90a4ae;font-size:12px"><kbd>←</kbd> <kbd>→</kbd> step, <kbd>Home</kbd> <kbd>End</kbd>; click a row of the chart to go to its step.</p>
        </div>
        """

    static let script = #"""
        (function(){
        "use strict";
        var D=JSON.parse(document.getElementById("data").textContent);
        var steps=D.steps,pieces=D.pieces,H=D.rowHeight;
        var chart=document.getElementById("chart"),holder=document.getElementById("pieces"),hl=document.getElementById("highlight");
        var slider=document.getElementById("slider"),shown=[-1,-1],current=-1;
        function $(id){return document.getElementById(id)}
        function esc(s){return String(s).replace(/[&<>"]/g,function(c){return{"&":"&amp;","<":"&lt;",">":"&gt;","\"":"&quot;"}[c]})}
        function pieceOf(row){var i=Math.floor(row/(pieces[0].count||1));return Math.max(0,Math.min(pieces.length-1,i))}
        // Only the piece of the selected step and its neighbours are in the document.
        function showPieces(p){
          var a=Math.max(0,p-1),b=Math.min(pieces.length-1,p+1);
          if(pieces.length<=3){a=0;b=pieces.length-1}
          if(shown[0]===a&&shown[1]===b)return;
          var html="";for(var i=a;i<=b;i++)html+=document.getElementById("piece"+i).textContent;
          holder.innerHTML=html;shown=[a,b];
        }
        // Each step lists, per server whose log changed, how many entries it kept and the terms after them.
        var cache={step:-1,logs:[]};
        function logsAt(i){
          if(i<cache.step)cache={step:-1,logs:[]};
          for(var j=cache.step+1;j<=i;j++){
            var edits=steps[j].logs,logs=cache.logs.slice(0,steps[j].servers.length);
            if(edits)edits.forEach(function(d,k){if(d)logs[k]=(logs[k]||[]).slice(0,d[0]).concat(d.slice(1))});
            for(var k=0;k<steps[j].servers.length;k++)if(!logs[k])logs[k]=[];
            cache={step:j,logs:logs};
          }
          return cache.logs;
        }
        function go(i){
          if(!steps.length)return;
          i=Math.max(0,Math.min(steps.length-1,i));
          var s=steps[i],first=s.rows[0],last=s.rows[1];
          showPieces(pieceOf(Math.min(first,Math.max(0,D.rows-1))));
          var top=holder.offsetTop+(first-pieces[shown[0]].first)*H;
          hl.style.top=top+"px";hl.style.height=Math.max(2,(last-first)*H)+"px";
          var old=holder.querySelectorAll(".hot");for(var k=0;k<old.length;k++)old[k].classList.remove("hot");
          var hot=holder.querySelectorAll('[data-step="'+i+'"]');for(k=0;k<hot.length;k++)hot[k].classList.add("hot");
          if(current!==i){
            var view=chart.scrollTop,height=chart.clientHeight;
            if(top<view+40||top+(last-first)*H>view+height-20)chart.scrollTop=Math.max(0,top-height/3);
          }
          current=i;slider.value=i;
          $("counter").textContent="step "+(i+1)+" / "+steps.length+"  ·  tick "+s.tick;
          $("line").textContent=(s.at!==null?"line "+s.at+":  ":"")+s.line;
          $("note").textContent=s.note||"";
          $("output").textContent=s.output.join("\n");
          $("meta").textContent=s.inFlight+" message"+(s.inFlight===1?"":"s")+" in flight"+(s.partitioned?"; network partitioned":"");
          var t="<tr><th>server</th><th>state</th><th>role</th><th>term</th><th>voted</th><th>commit</th><th>group</th><th>inbox</th></tr>";
          s.servers.forEach(function(v){
            t+="<tr><td>"+esc(v[0])+"</td><td class=\""+(v[1]==="down"?"down":"")+"\">"+v[1]+"</td><td class=\""+v[2]+"\">"+v[2]+"</td><td>"+v[3]+"</td><td>"+esc(v[4])+"</td><td>"+v[5]+"</td><td>"+v[6]+"</td><td>"+v[7]+"</td></tr>";
          });
          $("table").innerHTML=t;
          var logs=logsAt(i),longest=0;logs.forEach(function(l){longest=Math.max(longest,l.length)});
          var from=Math.max(1,longest-39),g="";
          if(longest===0)g="<tr><td>every log is empty</td></tr>";
          else{
            g="<tr><th>index</th>";for(var n=from;n<=longest;n++)g+="<th>"+n+"</th>";g+="<th>commit</th></tr>";
            logs.forEach(function(l,r){
              var v=s.servers[r]||["?","up","","","",0];
              g+="<tr><td>"+esc(v[0])+"</td>";
              for(var n=from;n<=longest;n++)g+=n<=l.length?"<td class=\"t"+(n<=v[5]?" c":"")+"\">"+l[n-1]+(n<=v[5]?"*":"")+"</td>":"<td></td>";
              g+="<td>"+v[5]+(v[1]==="down"?" (down)":"")+"</td></tr>";
            });
          }
          $("grid").innerHTML=g;
        }
        function stepOfRow(row){
          var lo=0,hi=steps.length-1,best=0;
          while(lo<=hi){var m=(lo+hi)>>1;if(steps[m].rows[0]<=row){best=m;lo=m+1}else hi=m-1}
          while(best>0&&steps[best].rows[0]===steps[best].rows[1]&&steps[best].rows[0]>row)best--;
          return best;
        }
        holder.addEventListener("click",function(e){
          var y=e.clientY-holder.getBoundingClientRect().top;
          var row=pieces[shown[0]].first+Math.floor(y/H);
          var i=stepOfRow(row);while(i<steps.length-1&&steps[i].rows[1]<=row)i++;
          go(i);
        });
        slider.addEventListener("input",function(){go(+slider.value)});
        $("prev").addEventListener("click",function(){go(current-1)});
        $("next").addEventListener("click",function(){go(current+1)});
        document.addEventListener("keydown",function(e){
          if(e.target===slider&&(e.key==="ArrowLeft"||e.key==="ArrowRight"))e.preventDefault();
          if(e.key==="ArrowRight")go(current+1);
          else if(e.key==="ArrowLeft")go(current-1);
          else if(e.key==="Home")go(0);
          else if(e.key==="End")go(steps.length-1);
          else return;
          e.preventDefault();
        });
        var start=+(location.hash.slice(1)||1)-1;
        go(isNaN(start)?0:start);
        })();
        """#
}
